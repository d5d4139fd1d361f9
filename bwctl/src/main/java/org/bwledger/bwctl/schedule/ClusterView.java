package org.bwledger.bwctl.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bwledger.projector.extender.PlacementBook;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.projector.extender.Scoring;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * The cluster as a {@link PlacementPolicy} sees it when it places a pod: every node's books as the
 * fold holds them at that moment of the trace, judged by the scheduler extender's own
 * {@link PlacementBook}, so replay filters and scores exactly as the live extender does.
 */
public final class ClusterView {

  private final PlacementBook book = new PlacementBook();
  private final Map<String, NodeBandwidth> states = new TreeMap<>();
  private final TreeSet<String> order;
  private Instant now = Instant.EPOCH;

  ClusterView(long seed) {
    this.order = new TreeSet<>(new SeededOrder(seed));
  }

  /** Every node, in the seeded order. */
  public List<String> nodes() {
    return List.copyOf(order);
  }

  /**
   * The nodes that can take {@code pod}, in the seeded order, as the extender's filter passes them:
   * every node for a pod that declares no bandwidth, none for one whose annotations do not parse.
   */
  public List<String> fitting(PodDemand pod) {
    if (!pod.declared()) {
      return nodes();
    }
    if (!pod.request().isValid()) {
      return List.of();
    }
    List<String> candidates = nodes();
    Map<String, String> shortfalls = book.shortfalls(candidates, pod, now);
    List<String> fitting = new ArrayList<>(candidates);
    fitting.removeAll(shortfalls.keySet());
    return fitting;
  }

  /** The extender's prioritize: a score from 0 to 10 for each of {@code candidates}, in their order. */
  public Map<String, Integer> scores(List<String> candidates, PodDemand pod, Scoring scoring) {
    return book.scores(candidates, pod, scoring, now);
  }

  /** The node's books now. */
  public NodeBandwidth state(String node) {
    return states.get(node);
  }

  /** The trace's time now: the time of the event being replayed. */
  public Instant now() {
    return now;
  }

  void advanceTo(Instant at) {
    now = at;
  }

  /** The fold published a node's books again (null: the node is gone). */
  void update(String node, NodeBandwidth state) {
    book.update(node, state);
    if (state == null) {
      states.remove(node);
      order.remove(node);
    } else {
      states.put(node, state);
      order.add(node);
    }
  }
}
