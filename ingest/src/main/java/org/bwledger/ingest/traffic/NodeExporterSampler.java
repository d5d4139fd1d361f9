package org.bwledger.ingest.traffic;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples what every node carries: each interval, finds the node-exporter pods through the
 * Kubernetes API (one a node, by label), reads each one's network byte counters and appends them to
 * the log as {@link TrafficSampled}, dated when read. The fold turns two samples into a rate.
 *
 * <p>When a node's exporter cannot be read, or its pod is gone, the sampler says so in the log, once:
 * a sample with no interfaces, from which the fold measures nothing, so the node's traffic is
 * unknown (never 0) until two readable samples come again.
 */
public final class NodeExporterSampler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeExporterSampler.class);
  private static final Duration READ_AT_MOST = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final TrafficSettings settings;
  private final EventLog events;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(READ_AT_MOST).build();
  private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-traffic-sampler"));
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Set<String> exported = ConcurrentHashMap.newKeySet();
  private final Counter sampled;
  private final Counter failed;

  public NodeExporterSampler(KubernetesClient client, TrafficSettings settings, EventLog events, Clock clock,
      MeterRegistry metrics) {
    this.client = client;
    this.settings = settings;
    this.events = events;
    this.clock = clock;
    this.sampled = Counter.builder("bwledger.ingest.traffic.samples").tag("result", "sampled").register(metrics);
    this.failed = Counter.builder("bwledger.ingest.traffic.samples").tag("result", "failed").register(metrics);
  }

  /** Samples every node now, then every interval. */
  public void start() {
    long every = settings.interval().toMillis();
    rounds.scheduleAtFixedRate(this::sampleEveryNode, 0, every, TimeUnit.MILLISECONDS);
    log.info("Sampling traffic every {} from the node-exporter pods {}", settings.interval(), settings.selector());
  }

  private void sampleEveryNode() {
    List<Pod> exporters;
    try {
      exporters = (settings.namespace() == null ? client.pods().inAnyNamespace()
          : client.pods().inNamespace(settings.namespace())).withLabelSelector(settings.selector()).list().getItems();
    } catch (KubernetesClientException e) {
      log.warn("Cannot list the node-exporter pods {}: {}", settings.selector(), e.getMessage());
      return;
    }
    Set<String> nodes = new HashSet<>();
    for (Pod exporter : exporters) {
      String node = exporter.getSpec() == null ? null : exporter.getSpec().getNodeName();
      String ip = exporter.getStatus() == null ? null : exporter.getStatus().getPodIP();
      if (node != null && !node.isEmpty() && ip != null && !ip.isEmpty() && nodes.add(node)) {
        sample(node, URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + settings.port()
            + "/metrics"));
      }
    }
    for (String node : Set.copyOf(exported)) {
      if (!nodes.contains(node) && exported.remove(node)) {
        unreadable(node, "no node-exporter pod");
        log.warn("Node {} has no node-exporter pod any more; its traffic is unknown until it has", node);
      }
    }
    exported.addAll(nodes);
  }

  /** Reads one exporter without waiting for it: a slow node delays only its own sample. */
  private void sample(String node, URI endpoint) {
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(READ_AT_MOST).GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      Instant sampledAt = clock.instant();
      try {
        if (error != null || response.statusCode() != 200) {
          throw new IllegalStateException(error != null ? error.toString() : "HTTP " + response.statusCode());
        }
        List<InterfaceCounters> interfaces = NodeExporterMetrics.interfaces(response.body(), settings::counts);
        events.append(new ClusterEvent("traffic-" + node + "-" + sampledAt.toEpochMilli(), sampledAt, "",
            new TrafficSampled(node, sampledAt, "node-exporter " + endpoint, interfaces)));
        sampled.increment();
        if (failing.remove(node)) {
          log.info("Sampling node {} again from {}", node, endpoint);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failed.increment();
        if (failing.add(node)) {
          unreadable(node, "node-exporter " + endpoint);
          log.warn("Cannot sample node {} from {}: {}; its traffic is unknown until it can", node, endpoint,
              e.getMessage());
        }
      }
    });
  }

  /** Says in the log that {@code node} could not be read: a sample of no interfaces. */
  private void unreadable(String node, String source) {
    Instant at = clock.instant();
    try {
      events.append(new ClusterEvent("traffic-" + node + "-" + at.toEpochMilli(), at, "",
          new TrafficSampled(node, at, source, List.of())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    rounds.shutdownNow();
    rounds.awaitTermination(READ_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
  }
}
