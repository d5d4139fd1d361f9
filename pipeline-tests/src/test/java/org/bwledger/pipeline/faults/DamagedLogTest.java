package org.bwledger.pipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.process.Health;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log segment of {@code bw.cluster-events} damaged on the broker's disk: the ledger does not fold
 * past it as if nothing happened, nor report ready on what it folded before; its probes and its log
 * say what broke, where, and what to do.
 */
@WithKafka
class DamagedLogTest {

  private static final String PREFIX = "damaged.";

  @TempDir
  Path dir;

  @Test
  void aLedgerReadingADamagedSegmentSaysWhereAndWhatToDoAndIsNeitherReadyNorLive(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 1);
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(4, 40, 4, 600).generate(3, new EventFactory(), history::add);
    kafka.produce(topics, history);
    kafka.damageSegment(topics.clusterEvents().name(), 0);

    try (LedgerService ledger = new LedgerService(Pipeline.ledgerConfig(kafka, PREFIX, dir.resolve("ledger"), 1),
        Guard.NONE)) {
      ledger.start();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> !ledger.health().live());
      Health health = ledger.health();
      assertThat(health.ready()).isFalse();
      assertThat(health.reason()).contains("damaged record batch", topics.clusterEvents().name() + "-0", "To do:",
          "--reset-offsets");
      assertThat(ledger.stoppedForGood()).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(health.reason());
    }
  }
}
