package org.bwledger.runtime.process;

/**
 * A long-running part of a bwledger process (ingest, the ledger, the projector): started once, asked
 * for its health by the probes, closed once. Every service starts, reports and stops the same way, so
 * a command runs any of them, and {@code bwctl run} all three.
 */
public interface Service extends AutoCloseable {

  /** Starts the service; returns once it is starting. */
  void start() throws Exception;

  /** What the probes report now. */
  Health health();

  /** Stops the service, letting work under way finish briefly. */
  @Override
  void close();
}
