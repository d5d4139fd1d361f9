package org.bwledger.projector.extender;

import java.time.Duration;
import org.bwledger.ledger.rules.AnnotationKeys;

/**
 * How the scheduler extender reads pods and ranks nodes.
 *
 * @param annotationKeys which annotations declare bandwidth: the ledger's
 * @param scoring how prioritize ranks nodes
 * @param assumeTimeout how long a bound pod's bandwidth is held, in the extender and in the fold,
 *     before ingest sees the pod on its node
 */
public record ExtenderSettings(AnnotationKeys annotationKeys, Scoring scoring, Duration assumeTimeout) {

  /** The ledger's default keys, siblings first, and half a minute for ingest to see a bound pod. */
  public static final ExtenderSettings DEFAULT =
      new ExtenderSettings(AnnotationKeys.DEFAULT, Scoring.SIBLINGS_THEN_REMAINING, Duration.ofSeconds(30));
}
