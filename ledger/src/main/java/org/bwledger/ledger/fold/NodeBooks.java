package org.bwledger.ledger.fold;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.rules.MeasuredTraffic;
import org.bwledger.ledger.rules.NodeAccounting;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.ledger.LocalityChange;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.PresenceChange;
import org.bwledger.schemas.ledger.ReservationChange;
import org.bwledger.schemas.ledger.SpecChange;
import org.bwledger.schemas.ledger.TrafficState;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;

/**
 * Last stage of the fold, keyed by node: keeps each node's books (DESIGN §4). A node's summary
 * (presence, spec, running sums, oversubscription, measured traffic) and each reservation are
 * separate entries, so a change costs a constant number of small updates; only a link-local flip
 * touches every reservation of the node. The published state is assembled from them on demand.
 */
public final class NodeBooks {

  private static final LinkFigures NOTHING = new LinkFigures(0L, 0L, 0L, 0L);

  private final DefaultCapacity defaults;

  public NodeBooks(LedgerRules rules) {
    this.defaults = rules.defaultCapacity();
  }

  /**
   * The tables this stage keeps.
   *
   * @param summaries per node
   * @param reservations by node, then pod uid
   */
  public record Tables(StateTable<NodeSummary> summaries, GroupedTable<Reservation> reservations) {}

  /** Applies one change to {@code node}'s books. */
  public void apply(String node, NodeChange change, Tables tables) {
    NodeSummary before = tables.summaries().get(node);
    boolean present = before != null && before.getPresent();
    CapacitySpec spec = before == null ? null : before.getSpec();
    List<String> localWorkloads = before == null ? List.of() : before.getLinkLocalWorkloads();
    int count = before == null ? 0 : before.getReservations();
    LinkFigures used = before == null ? NOTHING : before.getUsed();
    TrafficState traffic = before == null ? null : before.getTraffic();

    Object what = change.getChange();
    if (what instanceof ReservationChange r) {
      Reservation old = tables.reservations().get(node, r.getPodUid());
      Reservation now = r.getReservation();
      if (old != null) {
        used = NodeAccounting.minus(used, NodeAccounting.charge(old));
        count--;
      }
      if (now != null) {
        String workload = workloadOf(now);
        now = withLinkLocal(now, workload != null && localWorkloads.contains(workload));
        used = NodeAccounting.plus(used, NodeAccounting.charge(now));
        count++;
      }
      tables.reservations().put(node, r.getPodUid(), now);
    } else if (what instanceof LocalityChange l) {
      TreeSet<String> changed = new TreeSet<>(localWorkloads);
      if (l.getLinkLocal()) {
        changed.add(l.getWorkload());
      } else {
        changed.remove(l.getWorkload());
      }
      localWorkloads = List.copyOf(changed);
      for (Reservation r : reservationsOf(node, tables)) {
        if (l.getWorkload().equals(workloadOf(r)) && r.getLinkLocal() != l.getLinkLocal()) {
          Reservation flipped = withLinkLocal(r, l.getLinkLocal());
          used = NodeAccounting.plus(NodeAccounting.minus(used, NodeAccounting.charge(r)), NodeAccounting.charge(flipped));
          tables.reservations().put(node, r.getPodUid(), flipped);
        }
      }
    } else if (what instanceof PresenceChange p) {
      present = p.getPresent();
      traffic = null; // a node that comes or goes starts its traffic afresh
    } else if (what instanceof TrafficSampled sample) {
      TrafficState next = MeasuredTraffic.next(traffic, sample);
      if (!present || next == traffic) {
        return; // a node not (or no longer) held, or a sample that changes nothing
      }
      traffic = next;
    } else if (what instanceof SpecChange s) {
      spec = s.getSpec();
    } else {
      throw new IllegalArgumentException("unknown node change " + what.getClass().getName());
    }

    if (!present && count == 0 && localWorkloads.isEmpty() && spec == null) {
      tables.summaries().put(node, null);
      return;
    }
    List<String> oversubscribed = NodeAccounting.oversubscribed(NodeAccounting.remaining(defaults.capacityFor(spec), used));
    Position position = Position.of(before).after(change);
    tables.summaries().put(node, new NodeSummary(
        present, spec, localWorkloads, count, used, oversubscribed,
        oversubscribedSince(before, oversubscribed, change.getObservedAt()),
        position.at(), position.eventId(), traffic));
  }

  /** What is published for {@code node}: its books while it is present, else nothing (a tombstone). */
  public NodeBandwidth published(String node, Tables tables) {
    NodeSummary summary = tables.summaries().get(node);
    if (summary == null || !summary.getPresent()) {
      return null;
    }
    List<Reservation> reservations = reservationsOf(node, tables);
    LinkFigures capacity = defaults.capacityFor(summary.getSpec());
    return new NodeBandwidth(
        node, summary.getSpec(), capacity, summary.getUsed(), NodeAccounting.remaining(capacity, summary.getUsed()),
        reservations, summary.getOversubscribed(), summary.getOversubscribedSince(),
        summary.getUpdatedAt(), summary.getLastEventId(),
        MeasuredTraffic.published(summary.getTraffic(), capacity, summary.getUsed()));
  }

  /** A node's reservations in the order they are published, which is also the order a flip writes them in. */
  private static List<Reservation> reservationsOf(String node, Tables tables) {
    List<Reservation> reservations = tables.reservations().group(node);
    reservations.sort(NodeAccounting.RESERVATION_ORDER);
    return reservations;
  }

  /**
   * The ledger position a node's state reflects: the latest (by observed-at, then id) of the events
   * that changed the node, through its reservations, presence, spec, a link-local flip or its
   * traffic. The live ledger hands each stage its changes in event-time order, so a node passes
   * through the same flips as in replay, and the position is the same however partitions interleave.
   */
  private record Position(Instant at, String eventId) {

    static Position of(NodeSummary summary) {
      return summary == null ? new Position(Instant.EPOCH, "") : new Position(summary.getUpdatedAt(), summary.getLastEventId());
    }

    /** The later of this and the cause's; this on a tie. Written out: it runs on every change of every node. */
    Position after(NodeChange cause) {
      int byTime = cause.getObservedAt().compareTo(at);
      boolean later = byTime > 0 || (byTime == 0 && cause.getEventId().compareTo(eventId) > 0);
      return later ? new Position(cause.getObservedAt(), cause.getEventId()) : this;
    }
  }

  /** When the node became oversubscribed: kept while it stays so, cleared when it no longer is. */
  private static Instant oversubscribedSince(NodeSummary before, List<String> oversubscribed, Instant now) {
    if (oversubscribed.isEmpty()) {
      return null;
    }
    boolean wasOversubscribed = before != null && !before.getOversubscribed().isEmpty();
    return wasOversubscribed ? Objects.requireNonNull(before.getOversubscribedSince()) : now;
  }

  /** A shallow copy: records shared between stages are never mutated. */
  private static Reservation withLinkLocal(Reservation r, boolean linkLocal) {
    return new Reservation(r.getPodUid(), r.getNamespace(), r.getPodName(), r.getPodIp(), r.getController(),
        r.getState(), r.getReason(), r.getUlMbps(), r.getDlMbps(), linkLocal);
  }

  private static String workloadOf(Reservation reservation) {
    return Workloads.keyOf(reservation.getNamespace(), reservation.getController());
  }
}
