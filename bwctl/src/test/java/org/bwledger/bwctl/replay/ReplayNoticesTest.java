package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.junit.jupiter.api.Test;

/** A replay sums up what the fold notes on the way instead of logging a line each. */
class ReplayNoticesTest {

  @Test
  void lapsedAssumptionsAndRelistsAreTalliedOverEveryPartition() {
    EventFactory events = new EventFactory();
    List<ClusterEvent> log = new ArrayList<>();
    log.add(events.nodeObserved("n1"));
    log.add(events.nodeObserved("n2"));
    for (int pod = 0; pod < 3; pod++) {
      log.add(events.pod("lapsing-" + pod).egress("10M").on("n1").assumed(Duration.ofSeconds(5)));
    }
    log.add(events.pod("kept").egress("10M").on("n2").observed());
    for (int tick = 0; tick < 10; tick++) {
      log.add(events.nodeObserved("n1")); // time passes the assumptions' deadline
    }
    log.add(events.resyncChunk("relist-1", 0, true, events.now(), List.of("kept"), List.of("n1")));

    Replay.Result result = new Replay(LedgerRules.DEFAULT).run(log, Replay.Options.ALL.withPartitions(3));

    assertThat(result.noted()).containsExactly(
        "3 extender assumptions lapsed: their pods were not seen on their nodes by the deadline",
        "1 relists completed, retiring 0 pods and 1 nodes they no longer held");
    assertThat(result.nodes()).containsOnlyKeys("n1");
  }

  @Test
  void aQuietReplayNotesNothing() {
    EventFactory events = new EventFactory();
    Replay.Result result = new Replay(LedgerRules.DEFAULT).run(List.of(events.nodeObserved("n1")), Replay.Options.ALL);

    assertThat(result.noted()).isEmpty();
  }
}
