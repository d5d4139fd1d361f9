package org.bwledger.ledger.rules;

import java.util.Set;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodAssumed;
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
    String workload = Workloads.keyOf(pod.getNamespace(), pod.getController());
    if (!isLive(pod)) {
      return new PodStanding(workload, null, null);
    }
    String node = pod.getNodeName();
    BandwidthRequest request = parser.parse(pod.getBandwidthAnnotations());
    Reservation reservation = node.isEmpty() || !request.declared() ? null
        : reservation(pod.getUid(), pod.getNamespace(), pod.getName(), pod.getPodIp(), pod.getController(),
            request, ReservationState.ACTIVE);
    return new PodStanding(workload, node.isEmpty() ? Workloads.UNSCHEDULED : node, reservation);
  }

  /**
   * A pod a scheduler extender bound to a node that ingest has not yet seen there: it holds its
   * reservation on that node, as {@link ReservationState#ASSUMED}, and counts there as a sibling.
   */
  public static PodStanding assumed(PodAssumed pod, AnnotationParser parser) {
    String workload = Workloads.keyOf(pod.getNamespace(), pod.getController());
    BandwidthRequest request = parser.parse(pod.getBandwidthAnnotations());
    Reservation reservation = !request.declared() ? null
        : reservation(pod.getUid(), pod.getNamespace(), pod.getName(), null, pod.getController(),
            request, ReservationState.ASSUMED);
    return new PodStanding(workload, pod.getNodeName(), reservation);
  }

  /** An extender's assumption about a pod stands only while ingest sees it live and without a node. */
  public static boolean awaitsNode(PodObserved pod) {
    return isLive(pod) && pod.getNodeName().isEmpty();
  }

  /** The node this pod's reservation is on, or {@code null} when it holds none. */
  public String reservationNode() {
    return reservation == null ? null : placement;
  }

  private static boolean isLive(PodObserved pod) {
    return !TERMINAL_PHASES.contains(pod.getPhase()) && !pod.getDeletionRequested();
  }

  private static Reservation reservation(String uid, String namespace, String name, String ip, Owner controller,
      BandwidthRequest request, ReservationState counted) {
    // the constructor, not the builder: this runs twice per pod event, and the builder validates every field
    return new Reservation(uid, namespace, name, ip, controller,
        request.isValid() ? counted : ReservationState.INVALID, request.invalidReason(),
        request.ulMbps(), request.dlMbps(), false);
  }
}
