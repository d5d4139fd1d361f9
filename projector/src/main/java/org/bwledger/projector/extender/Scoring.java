package org.bwledger.projector.extender;

/** How prioritize ranks the nodes that can take a pod. */
public enum Scoring {

  /**
   * Nodes already holding the pod's workload first (siblings on one node talk link-local, free of
   * network charges), then by network bandwidth left.
   */
  SIBLINGS_THEN_REMAINING,

  /** By network bandwidth left alone: spreads load. */
  REMAINING
}
