package org.bwledger.bwctl.compare;

import java.util.List;
import java.util.Optional;
import org.bwledger.bwctl.schedule.ClusterView;
import org.bwledger.bwctl.schedule.PlacementPolicy;
import org.bwledger.projector.extender.PodDemand;

/**
 * A policy as a user adds one: the last node that fits, listed in this test class path's
 * {@code META-INF/services}.
 */
public final class LastFit implements PlacementPolicy {

  @Override
  public String name() {
    return "last-fit";
  }

  @Override
  public Optional<String> place(PodDemand pod, ClusterView cluster) {
    List<String> fitting = cluster.fitting(pod);
    return fitting.isEmpty() ? Optional.empty() : Optional.of(fitting.get(fitting.size() - 1));
  }
}
