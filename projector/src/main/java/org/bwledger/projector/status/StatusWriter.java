package org.bwledger.projector.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.schemas.state.NodeBandwidth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each node's Bandwidth object status equal to the ledger's state, and is the only writer of
 * that status. Writes are coalesced: a node has at most one write in flight, and the state it
 * writes is the latest offered, so churn costs far fewer writes than changes. A status that is
 * already as new as the state is left alone, so nothing stale overwrites something newer, even
 * with several projectors writing. Failed writes retry with exponential backoff; all writes share
 * a configured rate. Only {@code status} is written (and {@code spec.node} when the object is
 * created): a user's {@code spec} is never touched.
 */
public final class StatusWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(200);
  private static final Duration LONGEST_RETRY = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final BandwidthObjects objects;
  private final ObjectMapper json;
  private final WriteRate rate;
  private final Clock clock;
  private final Map<String, NodeBandwidth> latest = new HashMap<>();
  private final Set<String> queuedOrWriting = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-status-retry"));
  private final Counter writes;
  private final Counter skipped;
  private final Counter failed;
  private final Timer lag;

  /**
   * @param writesPerSecond the bound on status writes to the API, all nodes together
   * @param threads how many writes may be in flight, each for a different node
   */
  public StatusWriter(KubernetesClient client, ObjectMapper json, double writesPerSecond, int threads, Clock clock,
      MeterRegistry metrics) {
    this.client = client;
    this.json = json;
    this.objects = new BandwidthObjects(json);
    this.rate = new WriteRate(writesPerSecond);
    this.clock = clock;
    this.writes = Counter.builder("bwledger.projector.status.writes")
        .description("Bandwidth status writes the API accepted").register(metrics);
    this.skipped = Counter.builder("bwledger.projector.status.skipped")
        .description("States not written because the status was already as new").register(metrics);
    this.failed = Counter.builder("bwledger.projector.status.failures")
        .description("Status writes that failed and were retried").register(metrics);
    this.lag = Timer.builder("bwledger.projector.status.lag")
        .description("From the event that changed a node to its status being written")
        .publishPercentiles(0.5, 0.99)
        .register(metrics);
    Gauge.builder("bwledger.projector.status.pending", queue, BlockingQueue::size)
        .description("Nodes whose status waits to be written").register(metrics);
    this.workers = Executors.newFixedThreadPool(threads, runnable -> new Thread(runnable, "bwledger-status-writer"));
    for (int i = 0; i < threads; i++) {
      workers.submit(this::writeLoop);
    }
  }

  /** Offers a node's new state ({@code null}: the node is gone); returns at once. */
  public void offer(String node, NodeBandwidth state) {
    synchronized (this) {
      if (state == null) {
        latest.remove(node);
        return; // the object goes with its Node (ownerReference); nothing to write
      }
      latest.put(node, state);
      if (!queuedOrWriting.add(node)) {
        return; // the write queued or in flight picks up this state
      }
    }
    queue.add(node);
  }

  /** Offers every state again, e.g. after a restart, so every status converges whatever it was. */
  public void offerAll(List<NodeBandwidth> states) {
    states.forEach(state -> offer(state.getNode(), state));
  }

  /** Writes are done, for tests and a clean stop: nothing queued, nothing in flight. */
  public synchronized boolean idle() {
    return queuedOrWriting.isEmpty();
  }

  private void writeLoop() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        String node = queue.take();
        NodeBandwidth state;
        synchronized (this) {
          state = latest.remove(node);
          if (state == null) {
            queuedOrWriting.remove(node);
            continue;
          }
        }
        rate.acquire();
        boolean written = write(node, state);
        synchronized (this) {
          if (written) {
            failures.remove(node);
          } else {
            latest.putIfAbsent(node, state); // a newer state offered meanwhile wins
          }
          if (!latest.containsKey(node)) {
            queuedOrWriting.remove(node);
            failures.remove(node);
            continue;
          }
        }
        if (written) {
          queue.add(node);
        } else {
          retries.schedule(() -> queue.add(node), backoff(node).toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes one state; false when it has to be tried again. */
  private boolean write(String node, NodeBandwidth state) {
    try {
      Resource<GenericKubernetesResource> resource =
          client.genericKubernetesResources(BandwidthCrd.CONTEXT).withName(node);
      GenericKubernetesResource current = resource.get();
      if (current == null) {
        current = create(node);
        if (current == null) {
          return true; // no such Node (gone, or never there): no object to own
        }
      }
      ObjectNode status = objects.status(state);
      Map<?, ?> wanted = json.readValue(json.writeValueAsBytes(status), Map.class);
      if (alreadyWritten(state, wanted, current)) {
        skipped.increment();
        return true;
      }
      status.put("observedGeneration", Objects.requireNonNullElse(current.getMetadata().getGeneration(), 0L));
      current.setAdditionalProperty("status", json.convertValue(status, Map.class));
      // The update carries the resourceVersion read above: a real API server refuses it if the
      // object changed since (409), and the retry reads again.
      client.genericKubernetesResources(BandwidthCrd.CONTEXT).resource(current).updateStatus();
      writes.increment();
      lag.record(Duration.between(state.getUpdatedAt(), clock.instant()).abs());
      return true;
    } catch (KubernetesClientException e) {
      failed.increment();
      log.warn("Status of Bandwidth {} not written ({} {}); retrying", node, e.getCode(), e.getMessage());
      return false;
    } catch (IOException | RuntimeException e) {
      failed.increment();
      log.warn("Status of Bandwidth {} not written ({}); retrying", node, e.toString());
      return false;
    }
  }

  /**
   * Creates the node's Bandwidth object, owned by its Node so that it goes with it; null when there
   * is no such Node, as an object nothing owns would outlive every node of that name.
   */
  private GenericKubernetesResource create(String node) {
    Node owner = client.nodes().withName(node).get();
    if (owner == null) {
      log.debug("No Node {}: no Bandwidth object for it", node);
      return null;
    }
    GenericKubernetesResource object = new GenericKubernetesResourceBuilder()
        .withApiVersion(BandwidthObjects.API_VERSION)
        .withKind(BandwidthObjects.KIND)
        .withNewMetadata().withName(node)
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion("v1").withKind("Node").withName(node).withUid(owner.getMetadata().getUid())
            .withBlockOwnerDeletion(false).build())
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("node", node)))
        .build();
    try {
      GenericKubernetesResource created = client.genericKubernetesResources(BandwidthCrd.CONTEXT)
          .resource(object).create();
      log.info("Created Bandwidth {}", node);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return client.genericKubernetesResources(BandwidthCrd.CONTEXT).withName(node).get(); // created meanwhile
      }
      throw e;
    }
  }

  /**
   * True when the object's status already reflects a later state, or this one. The position
   * (updatedAt) orders states; at equal positions the content decides, as a link-local flip changes a
   * node without moving its position.
   */
  private boolean alreadyWritten(NodeBandwidth state, Map<?, ?> wanted, GenericKubernetesResource current) {
    if (!(current.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("updatedAt") instanceof String updatedAt)) {
      return false;
    }
    Instant written = Instant.parse(updatedAt);
    if (!written.equals(state.getUpdatedAt())) {
      return written.isAfter(state.getUpdatedAt());
    }
    Map<Object, Object> comparable = new HashMap<>(status);
    comparable.remove("observedGeneration");
    return json.valueToTree(comparable).equals(json.valueToTree(wanted));
  }

  private synchronized Duration backoff(String node) {
    int attempt = failures.merge(node, 1, Integer::sum);
    long millis = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(Math.min(millis, LONGEST_RETRY.toMillis()));
  }

  @Override
  public void close() {
    workers.shutdownNow();
    retries.shutdownNow();
  }
}
