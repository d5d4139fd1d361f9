package org.bwledger.runtime.process;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

  /** Completes, with why, if the service stops for good: its process then ends with a failure. */
  default CompletionStage<String> stoppedForGood() {
    return new CompletableFuture<>();
  }

  /** Stops the service, letting work under way finish briefly. */
  @Override
  void close();
}
