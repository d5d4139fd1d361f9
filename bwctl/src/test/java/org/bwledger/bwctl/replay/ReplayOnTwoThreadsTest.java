package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.schemas.event.ClusterEvent;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * A file's events replay on two threads (the fold's first stages ahead of the books) to what the
 * same events give handed on one by one, as {@code bwctl audit} hands them, all on one thread.
 */
class ReplayOnTwoThreadsTest {

  private static final LedgerRules TIGHT = new LedgerRules(AnnotationKeys.DEFAULT, new DefaultCapacity(400, 400, 150, 150));

  @RepeatedTest(5)
  void aFileReplaysOnTwoThreadsAsEventsHandedOnOneByOne(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(6, 80, 10, 5_000).generate(random.nextLong(), new EventFactory(), history::add);
    for (int i = 0; i < 5; i++) { // events the live ledger dead-letters, which replay skips with their position
      ClusterEvent bad = history.get(random.nextInt(history.size()));
      history.add(random.nextInt(history.size()),
          new ClusterEvent(bad.getEventId(), Instant.EPOCH.minusSeconds(1), bad.getResourceVersion(), bad.getPayload()));
    }
    Instant at = history.get(history.size() * 3 / 4).getObservedAt();
    Replay.Options options = new Replay.Options(at, List.of(new CapacityOverride("node-0002", "network-ul", 80)),
        true, true, 3, null);

    Replay.Result twoThreads = new Replay(TIGHT).run(history, options);
    Replay.Result oneByOne = new Replay(TIGHT).run(source -> {
      for (int i = 0; i < history.size(); i++) {
        source.accept(history.get(i), "event " + (i + 1));
      }
    }, options);

    assertThat(twoThreads.nodes()).isNotEmpty().isEqualTo(oneByOne.nodes());
    assertThat(twoThreads.skipped()).hasSize(5).isEqualTo(oneByOne.skipped());
    assertThat(twoThreads.oversubscribed()).isNotEmpty().isEqualTo(oneByOne.oversubscribed());
    assertThat(twoThreads.timeline().nodes()).isNotEmpty().isEqualTo(oneByOne.timeline().nodes());
    assertThat(twoThreads.timeline().spells()).isEqualTo(oneByOne.timeline().spells());
    assertThat(twoThreads.noted()).isNotEmpty().isEqualTo(oneByOne.noted());
  }
}
