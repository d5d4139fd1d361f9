package org.bwledger.ingest.traffic;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples what every node carries from node-exporter: each round finds the node-exporter pods
 * through the Kubernetes API (one a node, by label) and reads each one's network byte counters, dated
 * when read. A slow node delays only its own sample.
 */
final class NodeExporterSampler implements TrafficSampler.Round {

  private static final Logger log = LoggerFactory.getLogger(NodeExporterSampler.class);
  private static final Duration READ_AT_MOST = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final TrafficSettings.NodeExporters exporters;
  private final TrafficSettings settings;
  private final TrafficLog samples;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(READ_AT_MOST).build();

  NodeExporterSampler(KubernetesClient client, TrafficSettings.NodeExporters exporters, TrafficSettings settings,
      TrafficLog samples, Clock clock) {
    this.client = client;
    this.exporters = exporters;
    this.settings = settings;
    this.samples = samples;
    this.clock = clock;
  }

  @Override
  public String describe() {
    return "the node-exporter pods " + exporters.selector();
  }

  @Override
  public void sampleEveryNode() {
    List<Pod> pods;
    try {
      pods = (exporters.namespace() == null ? client.pods().inAnyNamespace()
          : client.pods().inNamespace(exporters.namespace())).withLabelSelector(exporters.selector()).list().getItems();
    } catch (KubernetesClientException e) {
      log.warn("Cannot list the node-exporter pods {}: {}", exporters.selector(), e.getMessage());
      return;
    }
    Set<String> nodes = new HashSet<>();
    for (Pod exporter : pods) {
      String node = exporter.getSpec() == null ? null : exporter.getSpec().getNodeName();
      String ip = exporter.getStatus() == null ? null : exporter.getStatus().getPodIP();
      if (node != null && !node.isEmpty() && ip != null && !ip.isEmpty() && nodes.add(node)) {
        sample(node, URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + exporters.port()
            + "/metrics"));
      }
    }
    samples.found(nodes, describe());
  }

  private void sample(String node, URI endpoint) {
    String source = "node-exporter " + endpoint;
    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(READ_AT_MOST).GET().build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      try {
        if (error != null || response.statusCode() != 200) {
          throw new IllegalStateException(error != null ? error.toString() : "HTTP " + response.statusCode());
        }
        samples.sampled(node, clock.instant(), source,
            NodeExporterMetrics.interfaces(response.body(), settings::counts));
      } catch (RuntimeException e) {
        samples.unreadable(node, source, e.getMessage());
      }
    });
  }
}
