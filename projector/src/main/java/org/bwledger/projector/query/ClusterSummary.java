package org.bwledger.projector.query;

import java.util.ArrayList;
import java.util.List;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;

/**
 * Totals over every node: what the cluster can carry, what is promised, what is left, and which nodes
 * are oversubscribed.
 *
 * @param invalidReservations reservations whose annotations do not parse (they count 0)
 * @param assumedReservations reservations of pods the extender bound that ingest has not seen placed yet
 */
public record ClusterSummary(int nodes, int reservations, int invalidReservations, int assumedReservations,
    LinkFigures capacity, LinkFigures used, LinkFigures remaining, List<String> oversubscribedNodes) {

  public ClusterSummary {
    oversubscribedNodes = List.copyOf(oversubscribedNodes);
  }

  /** The totals of {@code nodes}; oversubscribed nodes in the order given. */
  public static ClusterSummary of(List<NodeBandwidth> nodes) {
    Totals capacity = new Totals();
    Totals used = new Totals();
    int reservations = 0;
    int invalid = 0;
    int assumed = 0;
    List<String> oversubscribed = new ArrayList<>();
    for (NodeBandwidth node : nodes) {
      capacity.add(node.getCapacity());
      used.add(node.getUsed());
      for (Reservation reservation : node.getReservations()) {
        reservations++;
        invalid += reservation.getState() == ReservationState.INVALID ? 1 : 0;
        assumed += reservation.getState() == ReservationState.ASSUMED ? 1 : 0;
      }
      if (!node.getOversubscribed().isEmpty()) {
        oversubscribed.add(node.getNode());
      }
    }
    return new ClusterSummary(nodes.size(), reservations, invalid, assumed, capacity.figures(), used.figures(),
        capacity.minus(used), oversubscribed);
  }

  /** Sums of the four dimensions. */
  private static final class Totals {
    private long localUl;
    private long localDl;
    private long networkUl;
    private long networkDl;

    void add(LinkFigures figures) {
      localUl += figures.getLocalUlMbps();
      localDl += figures.getLocalDlMbps();
      networkUl += figures.getNetworkUlMbps();
      networkDl += figures.getNetworkDlMbps();
    }

    LinkFigures figures() {
      return new LinkFigures(localUl, localDl, networkUl, networkDl);
    }

    LinkFigures minus(Totals other) {
      return new LinkFigures(localUl - other.localUl, localDl - other.localDl, networkUl - other.networkUl,
          networkDl - other.networkDl);
    }
  }
}
