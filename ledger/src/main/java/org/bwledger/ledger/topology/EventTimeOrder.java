package org.bwledger.ledger.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
 * <p>A source says it is idle when it has sent all it had. When every source is idle, everything
 * held is handed on. Whether an idle source holds back the others meanwhile is the {@link
 * IdleSources} policy. A change from before what was already handed on is late (its source was
 * idle while the others went on): it goes with the next changes handed on, after those before it,
 * and the caller counts it. Nothing here reads a clock.
 */
final class EventTimeOrder<V> {

  /** A change handed on, with its time and the key it is for (a node or a workload). */
  record Release<V>(long time, String subject, V change) {}

  /** Whether an idle source holds back the others. */
  enum IdleSources {
    /**
     * It does not, so a quiet partition holds nobody back. Only safe where a source's word that it
     * counts again reaches this task before its changes do: in the same partition, in line.
     */
    STEP_ASIDE,
    /** It does, at the time it said last: for sources that move together, all told the same. */
    HOLD_BACK
  }

  private static final int DIGITS = 19;

  private final String self;
  private final List<String> sources;
  private final IdleSources idleSources;
  private final StateTable<V> held;
  private final StateTable<Progress> progress;

  /**
   * @param self the name this task speaks under; what it has handed on is kept under it
   * @param sources every upstream task that sends changes and progress
   * @param idleSources whether an idle source holds back the others
   * @param held the changes not handed on yet
   * @param progress what each source said last, and what this task has handed on
   */
  EventTimeOrder(String self, List<String> sources, IdleSources idleSources, StateTable<V> held,
      StateTable<Progress> progress) {
    this.self = self;
    this.sources = List.copyOf(sources);
    this.idleSources = idleSources;
    this.held = held;
    this.progress = progress;
  }

  /**
   * How far this task has come: everything timed before it was handed on, and whether its sources
   * are all idle and nothing is held.
   */
  Progress passed() {
    Progress mine = progress.get(self);
    return mine == null ? new Progress(self, Instant.EPOCH, false) : mine;
  }

  /**
   * Holds a change until its turn; a late one goes with the next changes handed on.
   *
   * @param offset the change's offset in this task's input partition, which keeps changes of the
   *     same time in the order they came
   * @return whether the change is late
   */
  boolean hold(long time, long offset, String subject, V change) {
    long passed = passed().getBefore().toEpochMilli();
    held.put(digits(Math.max(time, passed)) + '/' + digits(offset) + '/' + subject, change);
    return time < passed;
  }

  /** Takes a source's word; returns the changes whose turn came, oldest first. */
  List<Release<V>> heard(Progress word) {
    Progress known = progress.get(word.getSource());
    Instant before = known == null || word.getBefore().isAfter(known.getBefore()) ? word.getBefore() : known.getBefore();
    progress.put(word.getSource(), new Progress(word.getSource(), before, word.getIdle()));

    long passed = passed().getBefore().toEpochMilli();
    long latest = passed;
    long earliest = Long.MAX_VALUE;
    boolean allIdle = true;
    for (String source : sources) {
      Progress said = progress.get(source);
      if (said == null) {
        return List.of(); // nothing until every source has spoken once
      }
      long saidBefore = said.getBefore().toEpochMilli();
      latest = Math.max(latest, saidBefore);
      allIdle &= said.getIdle();
      if (!said.getIdle() || idleSources == IdleSources.HOLD_BACK) {
        earliest = Math.min(earliest, saidBefore);
      }
    }
    long horizon = allIdle ? latest : Math.max(passed, earliest);
    List<Release<V>> ready = new ArrayList<>();
    SortedMap<String, V> turn = allIdle ? held.scan("")
        : horizon > passed ? held.upTo(digits(horizon - 1) + "/~") : Collections.emptySortedMap();
    for (Map.Entry<String, V> entry : turn.entrySet()) {
      held.put(entry.getKey(), null);
      String key = entry.getKey();
      ready.add(new Release<>(Long.parseLong(key.substring(0, DIGITS)), key.substring(2 * (DIGITS + 1)), entry.getValue()));
    }
    progress.put(self, new Progress(self, Instant.ofEpochMilli(horizon), allIdle));
    return ready;
  }

  /** Fixed width, so keys sort as the numbers do. */
  private static String digits(long value) {
    String plain = Long.toString(value);
    return "0".repeat(DIGITS - plain.length()) + plain;
  }
}
