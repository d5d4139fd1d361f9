package org.bwledger.ingest.watch;

import java.time.Instant;
import java.util.function.BiPredicate;
import org.bwledger.schemas.event.ClusterEvent;

/**
 * What one kind of Kubernetes object contributes to the log.
 *
 * @param name how logs and metrics name it ({@code pods}, {@code nodes}, {@code bandwidths})
 * @param observed the event for an object added or changed
 * @param gone the event for an object deleted
 * @param changed whether an update carries something the log needs (an unchanged slim event does not)
 * @param <T> the object's type
 */
record WatchedKind<T>(String name, Translation<T> observed, Translation<T> gone, BiPredicate<T, T> changed) {

  /** Turns an object into its event. */
  @FunctionalInterface
  interface Translation<T> {
    ClusterEvent apply(T object, String eventId, Instant observedAt);
  }
}
