package org.bwledger.bwctl.schedule;

import java.util.Optional;
import org.bwledger.projector.extender.PodDemand;

/** The first node in the seeded order that can take the pod: packs nodes one after another. */
final class FirstFit implements PlacementPolicy {

  @Override
  public String name() {
    return "first-fit";
  }

  @Override
  public Optional<String> place(PodDemand pod, ClusterView cluster) {
    return cluster.fitting(pod).stream().findFirst();
  }
}
