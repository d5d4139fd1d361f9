package org.bwledger.ledger.rules;

import org.bwledger.schemas.annotation.AnnotationKeys;

/**
 * The settings the accounting rules depend on. Live, in tests and in replay the same settings give
 * the same states.
 *
 * @param annotationKeys which annotations declare bandwidth, in order of precedence
 * @param defaultCapacity capacity of nodes whose Bandwidth spec does not set it
 */
public record LedgerRules(AnnotationKeys annotationKeys, DefaultCapacity defaultCapacity) {

  /** The existing bandwidth operator's keys and capacities. */
  public static final LedgerRules DEFAULT =
      new LedgerRules(AnnotationKeys.DEFAULT, DefaultCapacity.EXISTING_OPERATOR);
}
