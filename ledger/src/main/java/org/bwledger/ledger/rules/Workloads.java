package org.bwledger.ledger.rules;

import java.util.List;
import java.util.Optional;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.ledger.PlacementCount;

/** Who a pod's siblings are, and where a workload is link-local (DESIGN §4.2). */
public final class Workloads {

  /** The placement of a live pod that has no node yet. */
  public static final String UNSCHEDULED = "";

  private Workloads() {}

  /**
   * The workload a pod belongs to: siblings share namespace and controller owner uid. {@code null}
   * for a pod without a controller owner, which has no siblings and is always charged to network.
   */
  public static String keyOf(String namespace, Owner controller) {
    return controller == null ? null : namespace + "/" + controller.getUid();
  }

  /**
   * The node on which the workload is link-local: the one node where every live sibling stands.
   * Empty when the workload has no live pod, spans several nodes, or has a pod not yet scheduled
   * (that pod is not on the same node as the others).
   */
  public static Optional<String> linkLocalNode(List<PlacementCount> placements) {
    if (placements.size() != 1 || placements.get(0).getPlacement().equals(UNSCHEDULED)) {
      return Optional.empty();
    }
    return Optional.of(placements.get(0).getPlacement());
  }
}
