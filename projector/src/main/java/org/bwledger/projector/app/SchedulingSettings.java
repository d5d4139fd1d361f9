package org.bwledger.projector.app;

import java.time.Duration;
import java.util.Set;
import org.bwledger.projector.extender.Scoring;
import org.bwledger.projector.nodes.NodeMarking;
import org.bwledger.schemas.annotation.AnnotationKeys;

/**
 * How the projector helps place pods: the scheduler extender's reading of pods, ranking of nodes
 * and holding of binds, and what it may write on Node objects for the default scheduler.
 *
 * @param annotationKeys which annotations declare bandwidth: the ledger's
 * @param scoring how prioritize ranks nodes
 * @param assumeTimeout how long a bound pod's bandwidth is held, in the extender and in the fold,
 *     before ingest sees the pod on its node
 * @param nodeMarking the labels and taints written on nodes (off by default)
 * @param schedulerNames the scheduler profiles ({@code spec.schedulerName}) whose pods bind binds;
 *     a pod of any other scheduler is not the extender's to bind
 * @param measuredHeadroom whether the extender's filter also asks for room within a node's measured
 *     headroom, while its traffic is measured
 */
public record SchedulingSettings(AnnotationKeys annotationKeys, Scoring scoring, Duration assumeTimeout,
    NodeMarking nodeMarking, Set<String> schedulerNames, boolean measuredHeadroom) {

  public SchedulingSettings {
    schedulerNames = Set.copyOf(schedulerNames);
  }

  /**
   * The ledger's default keys, siblings first, half a minute for ingest to see a bound pod, no marks,
   * the pods of the {@code bandwidth-scheduler} profile, reservations alone.
   */
  public static final SchedulingSettings DEFAULT = new SchedulingSettings(
      AnnotationKeys.DEFAULT, Scoring.SIBLINGS_THEN_REMAINING, Duration.ofSeconds(30), NodeMarking.OFF,
      Set.of("bandwidth-scheduler"), false);

  public SchedulingSettings withNodeMarking(NodeMarking nodeMarking) {
    return new SchedulingSettings(annotationKeys, scoring, assumeTimeout, nodeMarking, schedulerNames,
        measuredHeadroom);
  }
}
