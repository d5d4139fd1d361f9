package org.bwledger.projector.extender;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bwledger.ledger.rules.MeasuredTraffic;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.Traffic;

/**
 * What the extender decides from: every node's latest state as the ledger published it, plus the
 * binds this extender made that those states do not show yet. The ledger publishes a node at most
 * once a second and a burst of binds lands within that second, so counting its own binds until the
 * states include them is what keeps a burst from oversubscribing a node. One lock guards the book:
 * the check a bind makes and the reservation it takes are one step, so two binds cannot both take
 * the last room on a node.
 *
 * <p>Checks are conservative: a pod is charged to network as well as local (it may turn out
 * link-local, which only frees room), and placing a pod away from its workload's link-local home
 * must leave that home room for its siblings' charge to move to network.
 */
public final class PlacementBook {

  /**
   * A bind the published states do not show yet, as the dashboard lists it.
   *
   * @param pod the pod's namespace and name
   * @param expiresAt when the hold lapses if no published state shows the pod by then
   */
  public record Hold(String pod, String node, long ulMbps, long dlMbps, Instant expiresAt) {}

  /** A bind the published states do not show yet. */
  private record PendingBind(String node, String pod, String workload, long ulMbps, long dlMbps, Instant expiresAt) {}

  /** Egress and ingress Mbit/s held on one node by binds in flight. */
  private record Held(long ulMbps, long dlMbps) {
    static final Held NONE = new Held(0, 0);

    Held plus(long ul, long dl) {
      return new Held(ulMbps + ul, dlMbps + dl);
    }
  }

  /** Where a workload's pods are link-local, and what they hold there. */
  private record Home(String node, long ulMbps, long dlMbps) {
    Home plus(Home other) {
      return new Home(node, ulMbps + other.ulMbps, dlMbps + other.dlMbps);
    }
  }

  private final boolean measuredHeadroom;
  private final Map<String, NodeBandwidth> nodes = new HashMap<>();
  private final Set<String> updated = new HashSet<>();
  private final Map<String, PendingBind> pending = new LinkedHashMap<>();
  private final Map<String, Home> homes = new HashMap<>();
  /** The workloads each node holds pods of: prioritize asks for every candidate. */
  private final Map<String, Set<String>> workloadsOn = new HashMap<>();

  /** A book that judges nodes by what their pods reserved. */
  public PlacementBook() {
    this(false);
  }

  /**
   * @param measuredHeadroom whether a node must also have the pod's network bandwidth within its
   *     measured headroom (capacity less the larger of reserved and carried), while its traffic is
   *     measured and no older than {@link MeasuredTraffic#STALE_AFTER}
   */
  public PlacementBook(boolean measuredHeadroom) {
    this.measuredHeadroom = measuredHeadroom;
  }

  /**
   * Fills in the states of nodes no update has told of: what the stores held at start, read while
   * updates may already arrive, which are newer.
   */
  public synchronized void seed(List<NodeBandwidth> states) {
    for (NodeBandwidth state : states) {
      if (!updated.contains(state.getNode())) {
        update(state.getNode(), state);
      }
    }
  }

  /** The ledger published a node's state (null: the node is gone). */
  public synchronized void update(String node, NodeBandwidth state) {
    updated.add(node);
    NodeBandwidth before = state == null ? nodes.remove(node) : nodes.put(node, state);
    if (before != null) {
      for (Reservation r : before.getReservations()) {
        if (r.getLinkLocal()) {
          homes.computeIfPresent(workloadOf(r), (workload, home) -> home.node().equals(node) ? null : home);
        }
      }
    }
    if (state == null) {
      workloadsOn.remove(node);
      return;
    }
    Set<String> workloads = new HashSet<>();
    Map<String, Home> homesHere = new HashMap<>();
    for (Reservation r : state.getReservations()) {
      pending.remove(r.getPodUid()); // the state counts it now
      if (r.getController() != null) {
        workloads.add(workloadOf(r));
      }
      if (r.getLinkLocal()) {
        homesHere.merge(workloadOf(r), new Home(node, r.getUlMbps(), r.getDlMbps()), Home::plus);
      }
    }
    // A workload moving home shows link-local on its new node before its old one is published
    // again: the newer state wins.
    homes.putAll(homesHere);
    workloadsOn.put(node, workloads);
  }

  /** How many binds the published states do not show yet. */
  public synchronized int pendingBinds(Instant now) {
    expire(now);
    return pending.size();
  }

  /** The binds the published states do not show yet, in the order they were made. */
  public synchronized List<Hold> holds(Instant now) {
    expire(now);
    return pending.values().stream()
        .map(bind -> new Hold(bind.pod(), bind.node(), bind.ulMbps(), bind.dlMbps(), bind.expiresAt()))
        .toList();
  }

  /** Why each of {@code candidates} cannot take {@code pod} now; the nodes that can are absent. */
  public synchronized Map<String, String> shortfalls(List<String> candidates, PodDemand pod, Instant now) {
    expire(now);
    Map<String, Held> held = heldByNode();
    Map<String, String> failed = new LinkedHashMap<>();
    for (String node : candidates) {
      String why = shortfall(node, pod, held, now);
      if (why != null) {
        failed.put(node, why);
      }
    }
    return failed;
  }

  /**
   * Holds {@code pod}'s bandwidth on {@code node} until a published state shows the pod or
   * {@code expiresAt} passes; refuses, saying why, when the node cannot take it.
   *
   * @return null when held, else why not
   */
  public synchronized String hold(String node, PodDemand pod, Instant now, Instant expiresAt) {
    expire(now);
    String why = shortfall(node, pod, heldByNode(), now);
    if (why == null) {
      pending.put(pod.uid(), pendingBind(node, pod, expiresAt));
    }
    return why;
  }

  /**
   * Holds binds read back from the log without checking room: they were made, by this replica or the
   * one that decided before it. Those a published state shows already, and those expired, are skipped.
   *
   * @return how many binds are held now that were not
   */
  public synchronized int restore(List<StandingAssumptions.Assumption> binds, Instant now) {
    expire(now);
    Set<String> shown = new HashSet<>();
    nodes.values().forEach(state -> state.getReservations().forEach(r -> shown.add(r.getPodUid())));
    int restored = 0;
    for (StandingAssumptions.Assumption bind : binds) {
      PodDemand pod = bind.pod();
      if (pod.declared() && pod.request().isValid() && now.isBefore(bind.expiresAt()) && !shown.contains(pod.uid())
          && pending.putIfAbsent(pod.uid(), pendingBind(bind.node(), pod, bind.expiresAt())) == null) {
        restored++;
      }
    }
    return restored;
  }

  /** Drops a hold whose bind failed. */
  public synchronized void release(String podUid) {
    pending.remove(podUid);
  }

  /**
   * Scores {@code candidates} from 0 to {@link ExtenderProtocol#MAX_SCORE}: by the share of network
   * capacity left after the pod, the tightest direction counting; under
   * {@link Scoring#SIBLINGS_THEN_REMAINING} a node already holding the pod's workload ranks above
   * every node that does not.
   */
  public synchronized Map<String, Integer> scores(List<String> candidates, PodDemand pod, Scoring scoring,
      Instant now) {
    expire(now);
    Map<String, Held> held = heldByNode();
    Map<String, Integer> scores = new LinkedHashMap<>();
    for (String node : candidates) {
      NodeBandwidth state = nodes.get(node);
      if (state == null) {
        scores.put(node, 0);
        continue;
      }
      Held h = held.getOrDefault(node, Held.NONE);
      LinkFigures capacity = state.getCapacity();
      LinkFigures remaining = state.getRemaining();
      double left = Math.min(
          share(remaining.getNetworkUlMbps() - h.ulMbps() - pod.request().ulMbps(), capacity.getNetworkUlMbps()),
          share(remaining.getNetworkDlMbps() - h.dlMbps() - pod.request().dlMbps(), capacity.getNetworkDlMbps()));
      if (scoring == Scoring.REMAINING) {
        scores.put(node, (int) Math.round(ExtenderProtocol.MAX_SCORE * left));
      } else if (holdsWorkload(node, pod.workload())) {
        scores.put(node, 6 + (int) Math.round(4 * left));
      } else {
        scores.put(node, (int) Math.round(5 * left));
      }
    }
    return scores;
  }

  private String shortfall(String node, PodDemand pod, Map<String, Held> held, Instant now) {
    NodeBandwidth state = nodes.get(node);
    if (state == null) {
      return "bwledger holds no state for node " + node + " yet";
    }
    Held h = held.getOrDefault(node, Held.NONE);
    LinkFigures remaining = state.getRemaining();
    long ul = pod.request().ulMbps();
    long dl = pod.request().dlMbps();
    String why = lacking("local-ul", ul, remaining.getLocalUlMbps(), h.ulMbps());
    why = why != null ? why : lacking("local-dl", dl, remaining.getLocalDlMbps(), h.dlMbps());
    why = why != null ? why : lacking("network-ul", ul, remaining.getNetworkUlMbps(), h.ulMbps());
    why = why != null ? why : lacking("network-dl", dl, remaining.getNetworkDlMbps(), h.dlMbps());
    why = why != null ? why : headroomShortfall(state, ul, dl, h, now);
    return why != null ? why : homeShortfall(node, pod, held);
  }

  /** What the node's measured headroom lacks, when the book filters on it and the measurement is fresh. */
  private String headroomShortfall(NodeBandwidth state, long ul, long dl, Held h, Instant now) {
    Traffic traffic = state.getTraffic();
    if (!measuredHeadroom || traffic == null || traffic.getMeasured() == null
        || traffic.getMeasuredAt().plus(MeasuredTraffic.STALE_AFTER).isBefore(now)) {
      return null;
    }
    String why = lacking("measured headroom up", ul, (long) Math.floor(traffic.getHeadroom().getUl()), h.ulMbps());
    why = why != null ? why
        : lacking("measured headroom down", dl, (long) Math.floor(traffic.getHeadroom().getDl()), h.dlMbps());
    return why == null ? null : why + ", the node carrying " + Math.round(traffic.getMeasured().getUl()) + "/"
        + Math.round(traffic.getMeasured().getDl()) + " Mbit/s";
  }

  /**
   * A workload whose pods all sit on one node is charged to local only there. A sibling placed
   * elsewhere moves their charge to network, which the home node must have room for.
   */
  private String homeShortfall(String node, PodDemand pod, Map<String, Held> held) {
    Home home = pod.workload() == null ? null : homes.get(pod.workload());
    if (home == null || home.node().equals(node)) {
      return null;
    }
    LinkFigures remaining = nodes.get(home.node()).getRemaining();
    Held h = held.getOrDefault(home.node(), Held.NONE);
    String why = lacking("network-ul", home.ulMbps(), remaining.getNetworkUlMbps(), h.ulMbps());
    why = why != null ? why : lacking("network-dl", home.dlMbps(), remaining.getNetworkDlMbps(), h.dlMbps());
    return why == null ? null : "its siblings on " + home.node() + " would be charged to network there: " + why;
  }

  private static String lacking(String dimension, long needed, long remaining, long held) {
    if (needed <= 0 || remaining - held >= needed) {
      return null;
    }
    return dimension + " needs " + needed + " Mbit/s, " + Math.max(0, remaining - held) + " remain"
        + (held > 0 ? " (" + held + " held by binds in flight)" : "");
  }

  private boolean holdsWorkload(String node, String workload) {
    if (workload == null) {
      return false;
    }
    if (workloadsOn.getOrDefault(node, Set.of()).contains(workload)) {
      return true;
    }
    for (PendingBind bind : pending.values()) {
      if (bind.node().equals(node) && workload.equals(bind.workload())) {
        return true;
      }
    }
    return false;
  }

  private static PendingBind pendingBind(String node, PodDemand pod, Instant expiresAt) {
    return new PendingBind(node, pod.namespace() + "/" + pod.name(), pod.workload(), pod.request().ulMbps(),
        pod.request().dlMbps(), expiresAt);
  }

  private Map<String, Held> heldByNode() {
    Map<String, Held> held = new HashMap<>();
    for (PendingBind bind : pending.values()) {
      held.merge(bind.node(), new Held(bind.ulMbps(), bind.dlMbps()), (a, b) -> a.plus(b.ulMbps(), b.dlMbps()));
    }
    return held;
  }

  private void expire(Instant now) {
    pending.values().removeIf(bind -> !now.isBefore(bind.expiresAt()));
  }

  private static double share(long left, long capacity) {
    return capacity == 0 ? 0 : Math.max(0, Math.min(1, (double) left / capacity));
  }

  private static String workloadOf(Reservation r) {
    return Workloads.keyOf(r.getNamespace(), r.getController());
  }
}
