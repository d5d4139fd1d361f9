package org.bwledger.projector.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bwledger.schemas.state.NodeBandwidth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link NodeMarking} on Node objects as nodes come to fit or stop fitting. A node is
 * written only when its fit changes, so a busy cluster costs a write per flip, not per state; writes
 * are replace-with-resourceVersion, so a concurrent edit by anyone else is never lost (a conflict
 * reads the node again). One thread writes, the latest wish per node wins; a write that fails is
 * tried again with the node's next state.
 */
public final class NodeMarker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeMarker.class);
  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;
  private final NodeMarking marking;
  private final Map<String, Boolean> wanted = new LinkedHashMap<>();
  private final Map<String, Boolean> marked = new HashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(
      runnable -> new Thread(runnable, "bwledger-node-marker"));
  private final Counter writes;

  public NodeMarker(KubernetesClient client, NodeMarking marking, MeterRegistry metrics) {
    this.client = client;
    this.marking = marking;
    this.writes = Counter.builder("bwledger.projector.node.marks").description("Node objects labelled or tainted")
        .register(metrics);
  }

  /** The node's new state (null: gone); marks it if its fit changed. */
  public void offer(String node, NodeBandwidth state) {
    if (!marking.enabled()) {
      return;
    }
    synchronized (this) {
      if (state == null) {
        marked.remove(node);
        wanted.remove(node);
        return;
      }
      boolean fits = marking.fits(state);
      if (Boolean.valueOf(fits).equals(marked.get(node)) && !wanted.containsKey(node)) {
        return;
      }
      wanted.put(node, fits);
    }
    writer.execute(this::drain);
  }

  /** Marks every node again, as on taking over from another replica. */
  public void offerAll(List<NodeBandwidth> states) {
    synchronized (this) {
      marked.clear();
    }
    states.forEach(state -> offer(state.getNode(), state));
  }

  private void drain() {
    while (true) {
      String node;
      boolean fits;
      synchronized (this) {
        if (wanted.isEmpty()) {
          return;
        }
        var next = wanted.entrySet().iterator().next();
        node = next.getKey();
        fits = next.getValue();
        wanted.remove(node);
      }
      if (mark(node, fits)) {
        synchronized (this) {
          marked.put(node, fits);
        }
      }
    }
  }

  private boolean mark(String name, boolean fits) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        Node node = client.nodes().withName(name).get();
        if (node == null) {
          return false; // the Node is gone; its state will follow
        }
        Node changed = marking.marked(node, fits);
        if (changed != null) {
          client.nodes().resource(changed).update();
          writes.increment();
          log.info("Node {} marked {}={}", name, NodeMarking.KEY, fits);
        }
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == ATTEMPTS) {
          log.warn("Could not mark node {} {}={}: {}", name, NodeMarking.KEY, fits, e.getMessage());
          return false;
        }
      }
    }
    return false;
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
