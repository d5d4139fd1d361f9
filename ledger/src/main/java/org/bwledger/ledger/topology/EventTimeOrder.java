package org.bwledger.ledger.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bwledger.ledger.fold.StateTable;
import org.bwledger.schemas.ledger.Progress;

/**
 * Hands a stage's input on in event-time order, though it comes from several upstream tasks that
 * each run at their own pace. Each change is held until every source has said, in a {@link Progress}
 * record sent in line after its changes, that it has sent everything timed before the change. So a
 * node's books pass through the states the log holds, in its order, however far a link-local flip
 * (one stage further) lags the pod change beside it, or one partition another: history asked at
 * any time is the fold of the log up to that time.
 *
 * <p>A change's time is its record's timestamp, which each source keeps from going back; changes
 * of one time go in the order they came. So each source's changes keep their order, and so does
 * every pod's and node's, as in replay's merge of the log's partitions.
 *
 * <p>A source that says it is idle holds nobody back until it speaks again; if every source is
 * idle, all they sent is handed on. A change from before what was already handed on is late (its
 * source was idle while the others went on): it goes with the next changes handed on, after those
 * before it, and the caller counts it. Nothing here reads a clock.
 */
final class EventTimeOrder<V> {

  /** A change handed on, with its time and the key it is for (a node or a workload). */
  record Release<V>(long time, String subject, V change) {}

  private static final int DIGITS = 19;

  private final String self;
  private final List<String> sources;
  private final StateTable<V> held;
  private final StateTable<Progress> progress;

  /**
   * @param self the name this task speaks under; what it has handed on is kept under it
   * @param sources every upstream task that sends changes and progress
   * @param held the changes not handed on yet
   * @param progress what each source said last, and what this task has handed on
   */
  EventTimeOrder(String self, List<String> sources, StateTable<V> held, StateTable<Progress> progress) {
    this.self = self;
    this.sources = List.copyOf(sources);
    this.held = held;
    this.progress = progress;
  }

  /** Every change timed before this has been handed on (epoch millis). */
  long passed() {
    Progress mine = progress.get(self);
    return mine == null ? 0 : mine.getBefore().toEpochMilli();
  }

  /**
   * Holds a change until its turn; a late one goes with the next changes handed on.
   *
   * @param offset the change's offset in this task's input partition, which keeps changes of the
   *     same time in the order they came
   * @return whether the change is late
   */
  boolean hold(long time, long offset, String subject, V change) {
    long passed = passed();
    held.put(digits(Math.max(time, passed)) + '/' + digits(offset) + '/' + subject, change);
    return time < passed;
  }

  /** Takes a source's word; returns the changes whose turn came, oldest first. */
  List<Release<V>> heard(Progress word) {
    Progress known = progress.get(word.getSource());
    Instant before = known == null || word.getBefore().isAfter(known.getBefore()) ? word.getBefore() : known.getBefore();
    progress.put(word.getSource(), new Progress(word.getSource(), before, word.getIdle()));

    long horizon = horizon();
    if (horizon <= passed()) {
      return List.of();
    }
    List<Release<V>> ready = new ArrayList<>();
    for (Map.Entry<String, V> entry : held.upTo(digits(horizon - 1) + "/~").entrySet()) {
      held.put(entry.getKey(), null);
      String key = entry.getKey();
      ready.add(new Release<>(Long.parseLong(key.substring(0, DIGITS)), key.substring(2 * (DIGITS + 1)), entry.getValue()));
    }
    progress.put(self, new Progress(self, Instant.ofEpochMilli(horizon), false));
    return ready;
  }

  /**
   * The time before which every source has sent all: the earliest of the sources that are not
   * idle, or the latest of all when all are; nothing until every source has spoken once.
   */
  private long horizon() {
    long earliestActive = Long.MAX_VALUE;
    long latest = 0;
    for (String source : sources) {
      Progress word = progress.get(source);
      if (word == null) {
        return 0;
      }
      long before = word.getBefore().toEpochMilli();
      latest = Math.max(latest, before);
      if (!word.getIdle()) {
        earliestActive = Math.min(earliestActive, before);
      }
    }
    return earliestActive == Long.MAX_VALUE ? latest : earliestActive;
  }

  /** Fixed width, so keys sort as the numbers do. */
  private static String digits(long value) {
    String plain = Long.toString(value);
    return "0".repeat(DIGITS - plain.length()) + plain;
  }
}
