package org.bwledger.bwctl.schedule;

import java.util.Comparator;
import java.util.Optional;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Spreads pods as kube-scheduler's default topology spreading does, blind to what they send each
 * other: among the nodes that can take the pod, the one holding the fewest of its siblings, then the
 * fewest reservations, then the first in the seeded order.
 */
final class Spread implements PlacementPolicy {

  @Override
  public String name() {
    return "spread";
  }

  @Override
  public Optional<String> place(PodDemand pod, ClusterView cluster) {
    // the candidates come in the seeded order, and min keeps the first of equals
    return cluster.fitting(pod).stream().min(Comparator
        .comparingLong((String node) -> siblings(cluster.state(node), pod.workload()))
        .thenComparingInt(node -> cluster.state(node).getReservations().size()));
  }

  private static long siblings(NodeBandwidth state, String workload) {
    if (workload == null) {
      return 0;
    }
    return state.getReservations().stream()
        .filter(r -> workload.equals(Workloads.keyOf(r.getNamespace(), r.getController())))
        .count();
  }
}
