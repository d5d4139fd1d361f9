package org.bwledger.bwctl.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;

/**
 * Places a trace's pods by a {@link PlacementPolicy} as the trace replays: each pod arrives when the
 * trace first shows it, and goes where the policy says, whatever node the trace recorded. A pod that
 * fits nowhere waits, and is offered again, in the order pods arrived, whenever room may have
 * appeared: a placed pod leaving, a node observed, a capacity set. Under {@value
 * PlacementPolicies#AS_RECORDED} the pods go where the trace put them, and only their waits are
 * followed.
 *
 * <p>Pods of a DaemonSet stay where the trace put them: they belong to their node. The trace's own
 * extender assumptions are dropped under a policy, which decides instead.
 */
public final class Scheduling {

  /**
   * What to place by.
   *
   * @param policy the policy, or null to keep the trace's placements
   * @param seed the seed of the order that breaks ties
   */
  public record Plan(PlacementPolicy policy, long seed) {
    public String policyName() {
      return policy == null ? PlacementPolicies.AS_RECORDED : policy.name();
    }
  }

  /**
   * What became of the trace's pods.
   *
   * @param arrived pods the trace showed
   * @param placed pods that got a node
   * @param pending pods still waiting at the end of the trace
   * @param neverPlaced pods that left, ended or were deleted while waiting
   * @param waits each placed pod's time from arrival to placement, in trace time, shortest first
   */
  public record Outcome(String policy, long seed, int arrived, int placed, int pending, int neverPlaced,
      List<Duration> waits) {

    /** The wait that {@code percent} per cent of placed pods did not exceed (nearest rank); zero with none placed. */
    public Duration placementWait(double percent) {
      if (waits.isEmpty()) {
        return Duration.ZERO;
      }
      int rank = (int) Math.ceil(percent / 100 * waits.size());
      return waits.get(Math.max(0, rank - 1));
    }
  }

  private static final String DAEMON_SET = "DaemonSet";

  /** One pod of the trace. */
  private static final class Pod {
    final PodDemand demand;
    final Instant arrivedAt;
    final boolean pinned;
    PodObserved last;
    String node; // null while it waits
    boolean gone;

    Pod(PodDemand demand, Instant arrivedAt, boolean pinned) {
      this.demand = demand;
      this.arrivedAt = arrivedAt;
      this.pinned = pinned;
    }
  }

  private final Plan plan;
  private final PodDemand.Reader reader;
  private final LocalFold fold;
  private final ClusterView cluster;
  private final Map<String, Pod> pods = new HashMap<>();
  private final Set<String> waiting = new LinkedHashSet<>();
  private final List<Duration> waits = new ArrayList<>();
  private int arrived;
  private int neverPlaced;

  /**
   * @param keys the annotations that declare bandwidth, as the fold reads them
   * @param fold the fold that {@link #before}'s consumer applies events to, read for the books
   */
  public Scheduling(Plan plan, AnnotationKeys keys, LocalFold fold) {
    this.plan = plan;
    this.reader = new PodDemand.Reader(keys);
    this.fold = fold;
    this.cluster = new ClusterView(plan.seed());
  }

  /** Passes events on to {@code next}, which folds them, with the pods placed by the plan. */
  public Consumer<ClusterEvent> before(Consumer<ClusterEvent> next) {
    return event -> {
      cluster.advanceTo(event.getObservedAt());
      Object payload = event.getPayload();
      if (payload instanceof PodObserved pod) {
        observed(event, pod, next);
      } else if (payload instanceof PodGone gone) {
        gone(event, gone, next);
      } else if (payload instanceof PodAssumed assumed) {
        if (plan.policy() == null) {
          placed(pods.get(assumed.getUid()), assumed.getNodeName(), event.getObservedAt());
          fold(event, next);
        }
      } else {
        fold(event, next);
        if (payload instanceof CapacitySet || payload instanceof NodeObserved) {
          retry(event, next);
        }
      }
    };
  }

  /** What became of the pods so far. */
  public Outcome outcome() {
    int pending = (int) pods.values().stream().filter(pod -> pod.node == null && !pod.gone).count();
    return new Outcome(plan.policyName(), plan.seed(), arrived, waits.size(), pending, neverPlaced,
        waits.stream().sorted().toList());
  }

  private void observed(ClusterEvent event, PodObserved seen, Consumer<ClusterEvent> next) {
    Instant at = event.getObservedAt();
    boolean live = !seen.getDeletionRequested() && !seen.getPhase().equals("Succeeded")
        && !seen.getPhase().equals("Failed");
    Pod pod = pods.get(seen.getUid());
    if (pod == null) {
      pod = new Pod(reader.read(seen), at, plan.policy() == null
          || seen.getController() != null && seen.getController().getKind().equals(DAEMON_SET));
      pods.put(seen.getUid(), pod);
      if (live) {
        arrived++;
        if (!pod.pinned && !offer(pod, at)) {
          waiting.add(seen.getUid());
        }
      } else {
        pod.gone = true; // ended before the trace began: it never arrives
      }
    }
    pod.last = seen;
    if (pod.pinned && !seen.getNodeName().isEmpty()) {
      placed(pod, seen.getNodeName(), at);
    }
    boolean departs = !live && pod.node != null && !pod.gone;
    if (!live) {
      leave(pod);
    }
    fold(pod.pinned ? event : onNode(event, seen, pod.node), next);
    if (departs) {
      retry(event, next);
    }
  }

  private void gone(ClusterEvent event, PodGone gone, Consumer<ClusterEvent> next) {
    Pod pod = pods.remove(gone.getUid());
    if (pod == null) {
      fold(event, next);
      return;
    }
    boolean departs = pod.node != null && !pod.gone;
    leave(pod);
    String node = pod.node == null ? "" : pod.node;
    fold(pod.pinned || node.equals(gone.getNodeName()) ? event
        : new ClusterEvent(event.getEventId(), event.getObservedAt(), event.getResourceVersion(),
            new PodGone(gone.getUid(), gone.getNamespace(), gone.getName(), node)), next);
    if (departs) {
      retry(event, next);
    }
  }

  /** The pod ended or is going: one still waiting will never be placed. */
  private void leave(Pod pod) {
    if (!pod.gone && pod.node == null) {
      neverPlaced++;
      waiting.remove(pod.demand.uid());
    }
    pod.gone = true;
  }

  /** Asks the policy for a node for {@code pod}, and notes the placement: whether it got one. */
  private boolean offer(Pod pod, Instant at) {
    Optional<String> node = plan.policy().place(pod.demand, cluster);
    node.ifPresent(chosen -> placed(pod, chosen, at));
    return node.isPresent();
  }

  private void placed(Pod pod, String node, Instant at) {
    if (pod != null && pod.node == null) {
      pod.node = node;
      waits.add(Duration.between(pod.arrivedAt, at));
    }
  }

  /** Offers the waiting pods room again, in the order they arrived, each placed one folded at once. */
  private void retry(ClusterEvent cause, Consumer<ClusterEvent> next) {
    if (plan.policy() == null || waiting.isEmpty()) {
      return;
    }
    int placed = 0;
    for (String uid : List.copyOf(waiting)) {
      Pod pod = pods.get(uid);
      if (offer(pod, cause.getObservedAt())) {
        waiting.remove(uid);
        fold(onNode(new ClusterEvent(cause.getEventId() + "/placed-" + ++placed, cause.getObservedAt(), "",
            pod.last), pod.last, pod.node), next);
      }
    }
  }

  /** The event, its pod on {@code node} (null: not yet placed) instead of where the trace put it. */
  private static ClusterEvent onNode(ClusterEvent event, PodObserved pod, String node) {
    String placement = node == null ? "" : node;
    if (placement.equals(pod.getNodeName())) {
      return event;
    }
    return new ClusterEvent(event.getEventId(), event.getObservedAt(), event.getResourceVersion(),
        // the constructor, not a builder's deep copy: the rest of the pod is shared, unchanged
        new PodObserved(pod.getUid(), pod.getNamespace(), pod.getName(), placement, pod.getPhase(),
            pod.getDeletionRequested(), pod.getBandwidthAnnotations(), pod.getController(), pod.getPodIp()));
  }

  private void fold(ClusterEvent event, Consumer<ClusterEvent> next) {
    next.accept(event);
    for (String node : fold.touchedNodes()) {
      cluster.update(node, fold.published(node));
    }
  }
}
