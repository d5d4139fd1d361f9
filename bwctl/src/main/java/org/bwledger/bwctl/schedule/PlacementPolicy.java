package org.bwledger.bwctl.schedule;

import java.util.Optional;
import org.bwledger.projector.extender.PodDemand;

/**
 * Where a pod goes when replay places a trace's pods itself ({@code bwctl replay --schedule},
 * {@code bwctl compare}). A policy is asked once when a pod arrives, and again for a pod still
 * waiting each time room may have appeared; it answers from the {@link ClusterView} alone, so the
 * same trace and seed give the same placements.
 *
 * <p>To add one, implement this interface, list the class in
 * {@code META-INF/services/org.bwledger.bwctl.schedule.PlacementPolicy} and put its jar on bwctl's
 * class path: {@code --schedule} finds it by {@link #name()}. The fold is not touched.
 */
public interface PlacementPolicy {

  /** The name {@code --schedule} and {@code --policy} take: lower case, words joined by hyphens. */
  String name();

  /** The node that takes {@code pod}, or empty to leave it waiting. */
  Optional<String> place(PodDemand pod, ClusterView cluster);
}
