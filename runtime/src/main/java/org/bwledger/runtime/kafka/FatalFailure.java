package org.bwledger.runtime.kafka;

import java.nio.file.Path;
import java.util.Set;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;

/**
 * What stopped a Kafka Streams client for good, said for an operator: what broke and what to do.
 * Kafka Streams stops a client only on what skipping would lose data over; each such cause has
 * one remedy, and the log line and the liveness probe give it.
 *
 * @param what what broke, with Kafka's own words on where
 * @param toDo what the operator does about it
 * @param localState whether the process's own state directory is what broke: it can be deleted,
 *     as the stores are rebuilt from their changelog topics
 * @param expected whether this is a known condition (no stack trace needed to understand it)
 */
public record FatalFailure(String what, String toDo, boolean localState, boolean expected) {

  /** Kafka Streams' failures of a state store, by name: this module does not depend on Kafka Streams. */
  private static final Set<String> LOCAL_STATE_FAILURES = Set.of(
      "org.apache.kafka.streams.errors.ProcessorStateException",
      "org.apache.kafka.streams.errors.TaskCorruptedException");

  /** Names the failure of a client whose local state lives in {@code stateDir}. */
  public static FatalFailure of(Throwable failure, Path stateDir) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // The consumer says so in its message, as a plain KafkaException, when a batch fails its checksum.
      if (cause instanceof CorruptRecordException
          || (cause.getMessage() != null && cause.getMessage().contains("Record is corrupt"))) {
        return new FatalFailure("Kafka served a damaged record batch (" + cause.getMessage() + ")",
            "the broker's log segment for that partition is damaged: restore the partition from a healthy "
                + "replica, or, if none has it, move this application's group past the damaged offset with "
                + "kafka-consumer-groups --reset-offsets; then compare the books with the log (bwctl audit)",
            false, true);
      }
      if (cause instanceof AuthorizationException) {
        return new FatalFailure("Kafka refused this principal (" + cause.getMessage() + ")",
            "grant it the ACLs that docs/security.md lists for this component", false, true);
      }
      if (cause instanceof ProducerFencedException) {
        return new FatalFailure("another process took over this one's transactions (" + cause.getMessage() + ")",
            "run each replica under its own instance id; this one stops rather than write twice", false, true);
      }
      if (LOCAL_STATE_FAILURES.contains(cause.getClass().getName()) || cause.getClass().getName().startsWith("org.rocksdb.")) {
        return new FatalFailure("the local state under " + stateDir + " cannot be read or written ("
            + cause.getMessage() + ")",
            "nothing is lost: the state is deleted as this process stops, and rebuilt from the changelog topics "
                + "when it starts again (Kubernetes restarts it); if it fails again, check the disk under " + stateDir,
            true, true);
      }
    }
    return new FatalFailure(String.valueOf(failure),
        "restart the process (Kubernetes does once /healthz fails); if it fails again, report it with this log",
        false, false);
  }

  /**
   * Names the failure that stopped {@code component}'s Kafka Streams client and logs it in one
   * line, with the stack trace only when the cause is not a known one.
   */
  public static FatalFailure report(String component, Throwable failure, Path stateDir, Logger log) {
    FatalFailure fatal = of(failure, stateDir);
    if (fatal.expected()) {
      log.error("{} stopped: {}", component, fatal);
    } else {
      log.error("{} stopped: {}", component, fatal, failure);
    }
    return fatal;
  }

  /** One line: what broke, then what to do. */
  @Override
  public String toString() {
    return what + ". To do: " + toDo;
  }
}
