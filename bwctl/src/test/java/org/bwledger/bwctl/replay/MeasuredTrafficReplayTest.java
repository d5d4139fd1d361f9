package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.junit.jupiter.api.Test;

/** Replays of a log with traffic samples: the same bytes every time, and what stood at any moment. */
class MeasuredTrafficReplayTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void theSameLogReplaysToTheSameBytesWhateverItsPartitions() throws Exception {
    List<ClusterEvent> log = history();

    String once = json(new Replay(LedgerRules.DEFAULT).run(log, Replay.Options.ALL));
    String again = json(new Replay(LedgerRules.DEFAULT).run(log, Replay.Options.ALL));
    String partitioned = json(new Replay(LedgerRules.DEFAULT).run(log, Replay.Options.ALL.withPartitions(3)));

    assertThat(once).isEqualTo(again).isEqualTo(partitioned).contains("\"state\":\"Measured\"");
  }

  @Test
  void atAMomentTheTrafficIsWhatTheSamplesUpToItMeasured() {
    List<ClusterEvent> log = history();
    List<Instant> samplesOfN0 = log.stream()
        .filter(e -> e.getPayload() instanceof TrafficSampled sample && sample.getNode().equals("n0"))
        .map(ClusterEvent::getObservedAt).toList();

    var before = new Replay(LedgerRules.DEFAULT).run(log, options(samplesOfN0.get(0).minusMillis(1))).nodes().get("n0");
    var once = new Replay(LedgerRules.DEFAULT).run(log, options(samplesOfN0.get(0))).nodes().get("n0");
    var twice = new Replay(LedgerRules.DEFAULT).run(log, options(samplesOfN0.get(1))).nodes().get("n0");

    assertThat(before.getTraffic()).isNull();
    assertThat(once.getTraffic().getMeasured()).as("one sample: unknown").isNull();
    assertThat(twice.getTraffic().getMeasured().getUl()).isPositive();
  }

  private static Replay.Options options(Instant at) {
    return new Replay.Options(at, List.of(), false, false, 1, null);
  }

  /** Three nodes, pods coming and going, and every node sampled each 10 s; one counter resets. */
  private static List<ClusterEvent> history() {
    EventFactory events = new EventFactory(START);
    Random random = new Random(5);
    List<ClusterEvent> log = new ArrayList<>();
    long[] counters = new long[3];
    for (int n = 0; n < 3; n++) {
      log.add(events.nodeObserved("n" + n));
    }
    for (int round = 0; round < 20; round++) {
      log.add(events.pod("p" + random.nextInt(6)).on("n" + random.nextInt(3)).egress(50 + random.nextInt(200) + "M")
          .observed());
      for (int n = 0; n < 3; n++) {
        counters[n] = round == 12 && n == 1 ? 1_000 : counters[n] + random.nextInt(100_000_000);
        log.add(events.trafficSampled("n" + n, events.now().minusMillis(500),
            List.of(new InterfaceCounters("eth0", counters[n], counters[n] / 2))));
      }
    }
    return log;
  }

  private static String json(Replay.Result result) throws Exception {
    ObjectMapper json = new ObjectMapper();
    return json.writeValueAsString(new BandwidthObjects(json).list(result.nodes().values()));
  }
}
