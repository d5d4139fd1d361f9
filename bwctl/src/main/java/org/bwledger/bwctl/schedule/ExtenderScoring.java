package org.bwledger.bwctl.schedule;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.projector.extender.Scoring;

/**
 * The scheduler extender's placement: its filter, then the highest of its scores, the seeded order
 * breaking ties. As kube-scheduler with the extender would place, its own plugins aside.
 */
record ExtenderScoring(Scoring scoring) implements PlacementPolicy {

  @Override
  public String name() {
    return scoring.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public Optional<String> place(PodDemand pod, ClusterView cluster) {
    List<String> fitting = cluster.fitting(pod);
    String best = null;
    int bestScore = -1;
    for (Map.Entry<String, Integer> scored : cluster.scores(fitting, pod, scoring).entrySet()) {
      if (scored.getValue() > bestScore) {
        best = scored.getKey();
        bestScore = scored.getValue();
      }
    }
    return Optional.ofNullable(best);
  }
}
