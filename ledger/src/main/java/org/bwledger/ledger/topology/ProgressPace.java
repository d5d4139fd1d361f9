package org.bwledger.ledger.topology;

import java.time.Duration;

/**
 * When an observed-objects task speaks of its progress, by the wall clock.
 *
 * @param every how often it says how far it has come, when it has news
 * @param caughtUpWithin its latest event is recent when observed this close to now: an interval
 *     without events then means its partition has none left
 * @param quietAfter without events this long, its partition has none left, however old its latest
 */
record ProgressPace(Duration every, Duration caughtUpWithin, Duration quietAfter) {

  /** A partition quiet this long has nothing left, whatever the emit interval. */
  private static final Duration QUIET_AT_LEAST = Duration.ofSeconds(5);

  /**
   * The pace for a ledger that publishes every {@code emitInterval}: twenty words an interval (a
   * change waits for every partition's next word, so this is what history's exactness costs in
   * latency); quiet after ten intervals, and not before five seconds, time enough for a partition's
   * first fetch.
   */
  static ProgressPace of(Duration emitInterval) {
    Duration quiet = emitInterval.multipliedBy(10);
    return new ProgressPace(emitInterval.dividedBy(20), emitInterval.multipliedBy(5),
        quiet.compareTo(QUIET_AT_LEAST) < 0 ? QUIET_AT_LEAST : quiet);
  }

  /** Whether a task whose latest event was observed at {@code latest}, and seen at {@code lastSeen}, has none left. */
  boolean noneLeft(long latest, long lastSeen, long now) {
    return latest >= now - caughtUpWithin.toMillis() || now - lastSeen >= quietAfter.toMillis();
  }
}
