package org.bwledger.projector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.bwledger.projector.app.ProjectorConfig;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.projector.topology.ProjectorTopology;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A projector whose stores are being rebuilt from their changelogs (a fresh pod, or one whose
 * state was wiped after a crash under exactly-once) is not ready: {@code ?at=}, history and the
 * latest states answer "ask again", never "this node had no state then" nor an early state, while
 * the store is still filling.
 */
@WithKafka
class RestoringHistoryTest {

  private static final String PREFIX = "restoringhistory.";
  private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aHistoryStillBeingRestoredIsNotReadyRatherThanEmpty(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 1);
    TestProjectors.publish(kafka, topics,
        List.of(TestProjectors.state("n1", T, 100), TestProjectors.state("n1", T.plusSeconds(10), 250),
            TestProjectors.state("n1", T.plusSeconds(20), 400)));
    ProjectorConfig config = TestProjectors.config(kafka, PREFIX, PREFIX + "projector", dir.resolve("first"), 1, 50,
        SchedulingSettings.DEFAULT);

    try (KafkaStreams first = streams(config)) {
      RestoringStores restoring = new RestoringStores();
      first.setGlobalStateRestoreListener(restoring);
      first.start();
      NodeQueries queries = new NodeQueries(first, restoring);
      await().atMost(Duration.ofSeconds(60)).ignoreException(NodeQueries.NotReadyException.class)
          .until(() -> queries.history("n1", T, T.plusSeconds(60)).size() == 3);

      // A running instance whose task was wiped is restored while its stream thread runs, and Kafka
      // Streams would answer from the refilling store; what its restore listener says stops that.
      TopicPartition changelog =
          new TopicPartition(PREFIX + "projector-" + ProjectorTopology.HISTORY_STORE + "-changelog", 0);
      restoring.onRestoreStart(changelog, ProjectorTopology.HISTORY_STORE, 0, 3);
      assertThatThrownBy(() -> queries.at("n1", T.plusSeconds(15))).isInstanceOf(NodeQueries.NotReadyException.class);
      assertThatThrownBy(() -> queries.history("n1", T, T.plusSeconds(60)))
          .isInstanceOf(NodeQueries.NotReadyException.class);
      assertThat(queries.latest("n1")).as("the latest states, another store, still answer").isPresent();
      restoring.onRestoreEnd(changelog, ProjectorTopology.HISTORY_STORE, 3);
      assertThat(queries.history("n1", T, T.plusSeconds(60))).hasSize(3);
    }

    // The same application on an empty state directory rebuilds its stores from the changelogs;
    // the restoration is held at its start, the stores open and still empty.
    CountDownLatch restoring = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (KafkaStreams second = streams(config.withStateDir(dir.resolve("second")))) {
      RestoringStores stores = new RestoringStores();
      second.setGlobalStateRestoreListener(new HeldAtStart(stores, restoring, release));
      second.start();
      NodeQueries queries = new NodeQueries(second, stores);
      try {
        assertThat(restoring.await(60, TimeUnit.SECONDS)).as("restoration started").isTrue();
        assertThatThrownBy(() -> queries.at("n1", T.plusSeconds(15))).isInstanceOf(NodeQueries.NotReadyException.class);
        assertThatThrownBy(() -> queries.history("n1", T, T.plusSeconds(60)))
            .isInstanceOf(NodeQueries.NotReadyException.class);
      } finally {
        release.countDown();
      }
      await().atMost(Duration.ofSeconds(60)).ignoreException(NodeQueries.NotReadyException.class)
          .until(() -> queries.at("n1", T.plusSeconds(15)).isPresent());
      assertThat(queries.at("n1", T.plusSeconds(15))).get()
          .extracting(state -> state.getUsed().getNetworkUlMbps()).isEqualTo(250L);
    }
  }

  private static KafkaStreams streams(ProjectorConfig config) {
    return new KafkaStreams(ProjectorTopology.build(config.kafka().topics().nodeBandwidth(), config.historyRetention(),
        (node, state) -> {}), config.streamsProperties());
  }

  /** Tells {@code stores} of each restoration, and holds the first at its start until released. */
  private record HeldAtStart(RestoringStores stores, CountDownLatch restoring, CountDownLatch release)
      implements StateRestoreListener {

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
      stores.onRestoreStart(partition, store, startingOffset, endingOffset);
      restoring.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {}

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      stores.onRestoreEnd(partition, store, totalRestored);
    }
  }
}
