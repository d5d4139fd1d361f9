package org.bwledger.ledger.topology;

/**
 * An event that decoded but that the fold turns away, with why: it goes to the dead-letter topic
 * and the fold goes on. Expected bad input, so it carries no stack trace.
 */
public final class RejectedEvent extends RuntimeException {

  public RejectedEvent(String reason) {
    super(reason, null, false, false);
  }
}
