package org.bwledger.bwctl.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;

/**
 * How a replay's placements used the links, weighted by time in the trace: the share of reserved
 * traffic kept link-local, and each node's network utilisation at its peak and on average over the
 * time it was in the cluster. A node's utilisation is its network used over its network capacity,
 * the busier direction counting.
 */
public final class TrafficMeasures {

  /**
   * The measures at the end of a replay.
   *
   * @param linkLocalShare reserved Mbit/s (egress plus ingress) held link-local, over all reserved,
   *     each weighted by how long it was held; 0 when nothing was reserved
   * @param nodes each node's utilisation
   */
  public record Figures(double linkLocalShare, SortedMap<String, NodeUtilisation> nodes) {}

  /** One node's network utilisation, as a fraction of capacity: its peak and its time-weighted mean. */
  public record NodeUtilisation(double peak, double mean) {}

  /** One node's figures so far. */
  private static final class Node {
    final Instant since;
    Instant changedAt;
    double utilisation;
    double peak;
    double weighted; // utilisation × seconds, up to changedAt
    Instant goneAt;

    Node(Instant since) {
      this.since = since;
      this.changedAt = since;
    }

    void advanceTo(Instant at) {
      weighted += utilisation * seconds(changedAt, at);
      changedAt = at;
    }
  }

  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, long[]> reserved = new TreeMap<>(); // node → {link-local, all}
  private long linkLocalNow;
  private long reservedNow;
  private double linkLocalWeighted;
  private double reservedWeighted;
  private Instant last;

  /** Looks at the nodes the event just folded changed. */
  public void observe(LocalFold fold, Instant at) {
    if (last != null) {
      linkLocalWeighted += linkLocalNow * seconds(last, at);
      reservedWeighted += reservedNow * seconds(last, at);
    }
    last = at;
    for (String name : fold.touchedNodes()) {
      NodeBandwidth state = fold.published(name);
      Node node = nodes.get(name);
      if (node == null || node.goneAt != null && state != null) {
        node = new Node(at);
        nodes.put(name, node);
      }
      node.advanceTo(at);
      node.utilisation = state == null ? 0 : utilisation(state);
      node.peak = Math.max(node.peak, node.utilisation);
      node.goneAt = state == null ? at : null;
      long[] before = reserved.getOrDefault(name, new long[2]);
      long[] now = state == null ? new long[2] : reservedOn(state);
      linkLocalNow += now[0] - before[0];
      reservedNow += now[1] - before[1];
      reserved.put(name, now);
    }
  }

  /** The measures up to the last event observed. */
  public Figures figures() {
    SortedMap<String, NodeUtilisation> utilisation = new TreeMap<>();
    nodes.forEach((name, node) -> {
      Instant end = node.goneAt != null ? node.goneAt : last;
      node.advanceTo(end);
      double lived = seconds(node.since, end);
      utilisation.put(name, new NodeUtilisation(node.peak, lived == 0 ? node.utilisation : node.weighted / lived));
    });
    return new Figures(reservedWeighted == 0 ? 0 : linkLocalWeighted / reservedWeighted, utilisation);
  }

  private static double utilisation(NodeBandwidth state) {
    LinkFigures used = state.getUsed();
    LinkFigures capacity = state.getCapacity();
    return Math.max(share(used.getNetworkUlMbps(), capacity.getNetworkUlMbps()),
        share(used.getNetworkDlMbps(), capacity.getNetworkDlMbps()));
  }

  /** Egress plus ingress Mbit/s reserved on the node: link-local, and in all. */
  private static long[] reservedOn(NodeBandwidth state) {
    long[] sums = new long[2];
    for (Reservation r : state.getReservations()) {
      long mbps = r.getUlMbps() + r.getDlMbps();
      sums[1] += mbps;
      if (r.getLinkLocal()) {
        sums[0] += mbps;
      }
    }
    return sums;
  }

  private static double share(long part, long whole) {
    return whole <= 0 ? 0 : (double) part / whole;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
