package org.bwledger.ledger.rules;

import java.util.Set;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;

/**
 * What a pod, as last observed, means to the ledger.
 *
 * @param workload its workload key ({@link Workloads#keyOf}), or {@code null} without a controller
 * @param placement where it counts as a live sibling: its node, {@link Workloads#UNSCHEDULED}, or
 *     {@code null} when it is not live (terminated or deleting)
 * @param reservation what it holds on its node (with {@code linkLocal} unset: that is the node's
 *     to decide), or {@code null} when it holds nothing
 */
public record PodStanding(String workload, String placement, Reservation reservation) {

  /** A pod that is gone, or was never seen. */
  public static final PodStanding ABSENT = new PodStanding(null, null, null);

  private static final Set<String> TERMINAL_PHASES = Set.of("Succeeded", "Failed");

  /**
   * A pod holds a reservation while it has a node, is not Succeeded or Failed, has no deletion
   * requested, and carries at least one bandwidth annotation (DESIGN §4).
   */
  public static PodStanding of(PodObserved pod, AnnotationParser parser) {
    boolean live = !TERMINAL_PHASES.contains(pod.getPhase()) && !pod.getDeletionRequested();
    String workload = Workloads.keyOf(pod.getNamespace(), pod.getController());
    if (!live) {
      return new PodStanding(workload, null, null);
    }
    String node = pod.getNodeName();
    BandwidthRequest request = parser.parse(pod.getBandwidthAnnotations());
    Reservation reservation = node.isEmpty() || !request.declared() ? null : reservation(pod, request);
    return new PodStanding(workload, node.isEmpty() ? Workloads.UNSCHEDULED : node, reservation);
  }

  /** The node this pod's reservation is on, or {@code null} when it holds none. */
  public String reservationNode() {
    return reservation == null ? null : placement;
  }

  private static Reservation reservation(PodObserved pod, BandwidthRequest request) {
    return Reservation.newBuilder()
        .setPodUid(pod.getUid())
        .setNamespace(pod.getNamespace())
        .setPodName(pod.getName())
        .setPodIp(pod.getPodIp())
        .setController(pod.getController())
        .setState(request.isValid() ? ReservationState.ACTIVE : ReservationState.INVALID)
        .setReason(request.invalidReason())
        .setUlMbps(request.ulMbps())
        .setDlMbps(request.dlMbps())
        .setLinkLocal(false)
        .build();
  }
}
