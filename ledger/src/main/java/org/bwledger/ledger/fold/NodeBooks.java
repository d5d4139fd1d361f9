package org.bwledger.ledger.fold;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.rules.NodeAccounting;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.ledger.LocalityChange;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeLedger;
import org.bwledger.schemas.ledger.PresenceChange;
import org.bwledger.schemas.ledger.ReservationChange;
import org.bwledger.schemas.ledger.SpecChange;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;

/**
 * Last stage of the fold, keyed by node: keeps each node's books and recomputes used, remaining and
 * oversubscription after every change (DESIGN §4). Pure: the same ledger and change give the same
 * result, whatever runs it.
 */
public final class NodeBooks {

  private final DefaultCapacity defaults;

  public NodeBooks(LedgerRules rules) {
    this.defaults = rules.defaultCapacity();
  }

  /**
   * The node's ledger after {@code change}; {@code null} once nothing is left to keep (the node is
   * gone and nothing refers to it).
   */
  public NodeLedger apply(String node, NodeChange change, NodeLedger ledger) {
    NodeBandwidth books = ledger == null ? null : ledger.getBooks();
    boolean present = ledger != null && ledger.getPresent();
    TreeSet<String> localWorkloads = ledger == null ? new TreeSet<>() : new TreeSet<>(ledger.getLinkLocalWorkloads());
    List<Reservation> reservations = books == null ? new ArrayList<>() : new ArrayList<>(books.getReservations());
    CapacitySpec spec = books == null ? null : books.getSpec();

    Object what = change.getChange();
    if (what instanceof ReservationChange r) {
      reservations.removeIf(existing -> existing.getPodUid().equals(r.getPodUid()));
      if (r.getReservation() != null) {
        String workload = workloadOf(r.getReservation());
        reservations.add(withLinkLocal(r.getReservation(), workload != null && localWorkloads.contains(workload)));
        reservations.sort(NodeAccounting.RESERVATION_ORDER);
      }
    } else if (what instanceof LocalityChange l) {
      if (l.getLinkLocal()) {
        localWorkloads.add(l.getWorkload());
      } else {
        localWorkloads.remove(l.getWorkload());
      }
      reservations.replaceAll(r -> l.getWorkload().equals(workloadOf(r)) && r.getLinkLocal() != l.getLinkLocal()
          ? withLinkLocal(r, l.getLinkLocal())
          : r);
    } else if (what instanceof PresenceChange p) {
      present = p.getPresent();
    } else if (what instanceof SpecChange s) {
      spec = s.getSpec();
    } else {
      throw new IllegalArgumentException("unknown node change " + what.getClass().getName());
    }

    if (!present && reservations.isEmpty() && localWorkloads.isEmpty() && spec == null) {
      return null;
    }
    NodeBandwidth next = account(node, spec, reservations, books, change);
    return new NodeLedger(present, List.copyOf(localWorkloads), next);
  }

  /** What is published for the node: its books while it is present, else nothing (a tombstone). */
  public static NodeBandwidth published(NodeLedger ledger) {
    return ledger != null && ledger.getPresent() ? ledger.getBooks() : null;
  }

  private NodeBandwidth account(
      String node, CapacitySpec spec, List<Reservation> reservations, NodeBandwidth before, NodeChange cause) {
    LinkFigures capacity = defaults.capacityFor(spec);
    LinkFigures used = NodeAccounting.used(reservations);
    LinkFigures remaining = NodeAccounting.remaining(capacity, used);
    List<String> oversubscribed = NodeAccounting.oversubscribed(remaining);
    boolean causeIsLatest = before == null || isAfter(cause, before);
    return new NodeBandwidth(
        node, spec, capacity, used, remaining, reservations, oversubscribed,
        oversubscribedSince(before, oversubscribed, cause.getObservedAt()),
        causeIsLatest ? cause.getObservedAt() : before.getUpdatedAt(),
        causeIsLatest ? cause.getEventId() : before.getLastEventId());
  }

  /**
   * Whether {@code cause} was observed after the last event in {@code books}. Changes of one node
   * reach it along two paths whose interleaving varies; keeping the latest makes the position
   * independent of it.
   */
  private static boolean isAfter(NodeChange cause, NodeBandwidth books) {
    int byTime = cause.getObservedAt().compareTo(books.getUpdatedAt());
    return byTime > 0 || (byTime == 0 && cause.getEventId().compareTo(books.getLastEventId()) > 0);
  }

  /** When the node became oversubscribed: kept while it stays so, cleared when it no longer is. */
  private static Instant oversubscribedSince(NodeBandwidth before, List<String> oversubscribed, Instant now) {
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
