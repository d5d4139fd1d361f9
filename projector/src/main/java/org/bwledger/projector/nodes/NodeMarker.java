package org.bwledger.projector.nodes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.zjsonpatch.JsonDiff;
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
 * Writes a {@link NodeMarking} on Node objects as nodes come to fit or stop fitting (by reservations,
 * measured traffic or both, {@link FitVerdicts}). A node is
 * written only when its fit changes, so a busy cluster costs a write per flip, not per state; writes
 * are JSON patches that first test the resourceVersion read, so a concurrent edit by anyone else is
 * never lost (a failed test reads the node again), and only {@code patch} on nodes is needed. One thread writes, the latest wish per node wins; a write that fails is
 * tried again with the node's next state.
 */
public final class NodeMarker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeMarker.class);
  private static final int ATTEMPTS = 3;

  private final ObjectMapper json = new ObjectMapper();

  private final KubernetesClient client;
  private final NodeMarking marking;
  private final Map<String, Boolean> wanted = new LinkedHashMap<>();
  private final Map<String, Boolean> marked = new HashMap<>();
  private final FitVerdicts verdicts;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(
      runnable -> new Thread(runnable, "bwledger-node-marker"));
  private final Counter writes;

  public NodeMarker(KubernetesClient client, NodeMarking marking, MeterRegistry metrics) {
    this.client = client;
    this.marking = marking;
    this.verdicts = new FitVerdicts(marking);
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
        verdicts.forget(node);
        return;
      }
      Boolean fits = verdicts.fits(node, state);
      if (fits == null || fits.equals(marked.get(node)) && !wanted.containsKey(node)) {
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
          client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON), patch(node, changed));
          writes.increment();
          log.info("Node {} marked {}={}", name, NodeMarking.KEY, fits);
        }
        return true;
      } catch (KubernetesClientException e) {
        // 409 or 422: the node changed since it was read (the patch's test failed); read it again.
        if ((e.getCode() != 409 && e.getCode() != 422) || attempt == ATTEMPTS) {
          log.warn("Could not mark node {} {}={}: {}", name, NodeMarking.KEY, fits, e.getMessage());
          return false;
        }
      }
    }
    return false;
  }

  /**
   * A JSON patch from {@code node} to {@code changed} that applies only to the node as it was read:
   * it first tests the resourceVersion, so nothing another writer changed meanwhile is overwritten.
   */
  private String patch(Node node, Node changed) {
    ArrayNode operations = (ArrayNode) JsonDiff.asJson(json.valueToTree(node), json.valueToTree(changed));
    operations.insertObject(0).put("op", "test").put("path", "/metadata/resourceVersion")
        .put("value", node.getMetadata().getResourceVersion());
    return operations.toString();
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
