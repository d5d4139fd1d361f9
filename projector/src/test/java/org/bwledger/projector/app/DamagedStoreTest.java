package org.bwledger.projector.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector's history store (RocksDB, on local disk) damaged while it was stopped: it does not
 * serve from it; it says what broke and what happens now, its probes fail, the damaged state is
 * deleted as it stops, and the next start rebuilds every version from the changelog.
 */
@WithKafka
class DamagedStoreTest {

  private static final String PREFIX = "damagedstore.";
  private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir
  Path stateDir;

  @Test
  void aDamagedStoreIsReportedDeletedAndRebuiltFromTheChangelog(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 1);
    TestProjectors.publish(kafka, topics,
        List.of(TestProjectors.state("n1", T, 100), TestProjectors.state("n1", T.plusSeconds(10), 250)));
    ProjectorConfig config = TestProjectors.config(kafka, PREFIX, PREFIX + "projector", stateDir, 1, 50,
        SchedulingSettings.DEFAULT);

    try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient()) {
      try (ProjectorService projector = new ProjectorService(config, client, Guard.NONE, Clock.systemUTC())) {
        projector.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> projector.health().ready()
            && projector.queries().history("n1", T, T.plusSeconds(60)).size() == 2);
      }
      assertThat(damageRocksDb(stateDir)).as("RocksDB instances damaged").isPositive();

      try (ProjectorService projector = new ProjectorService(config, client, Guard.NONE, Clock.systemUTC())) {
        projector.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> !projector.health().live());
        assertThat(projector.health().ready()).isFalse();
        assertThat(projector.health().reason()).contains("local state under " + stateDir, "rebuilt from the changelog");
      }
      assertThat(currentFiles(stateDir)).as("the damaged state, deleted").isEmpty();

      try (ProjectorService projector = new ProjectorService(config, client, Guard.NONE, Clock.systemUTC())) {
        projector.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> projector.health().ready());
        assertThat(projector.queries().at("n1", T.plusSeconds(5))).get()
            .extracting(state -> state.getUsed().getNetworkUlMbps()).isEqualTo(100L);
        assertThat(projector.queries().history("n1", T, T.plusSeconds(60))).hasSize(2);
      }
    }
  }

  /** Points every RocksDB instance under {@code dir} at a manifest that does not exist, as a bad disk might. */
  private static int damageRocksDb(Path dir) throws IOException {
    List<Path> current = currentFiles(dir);
    for (Path file : current) {
      Files.writeString(file, "MANIFEST-999999\n");
    }
    return current.size();
  }

  private static List<Path> currentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.getFileName().toString().equals("CURRENT")).toList();
    }
  }
}
