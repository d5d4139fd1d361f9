package org.bwledger.ledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;

/**
 * How long the ledger takes to be running again with no local state: its stores (in memory) come
 * back from their changelogs, as after any restart of a replica or a move to another node. The
 * history fills 2,000 nodes with about 50,000 live reservations. Not a test: run it on demand.
 *
 * <pre>
 * mvn -q -pl ledger -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bwledger.ledger.bench.RestoreBenchmark [-Dexec.args="EVENTS PARTITIONS"]
 * </pre>
 */
public final class RestoreBenchmark {

  private RestoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 400_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    // About four in five pod slots hold a live pod at any time: 64,000 slots, about 50,000 reservations.
    ClusterHistory history = new ClusterHistory(2_000, 64_000, 4_000, events);
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "restore");

    try (TestKafka kafka = TestKafka.start(); Admin admin = kafka.admin()) {
      Topics topics = Topics.withPrefix("restore.");
      kafka.createTopics(topics, partitions);
      FoldBenchmark.produce(kafka, topics, history);
      LedgerConfig config = LedgerConfig.defaults()
          .withKafka(new KafkaSettings(kafka.bootstrapServers(), "restore.", partitions, Map.of()))
          .withApplicationId("restore-ledger");
      Map<TopicPartition, Long> end = TopicOffsets.ends(admin, topics.clusterEvents().name());

      long foldStart = System.nanoTime();
      try (KafkaStreams fold = streams(config, topics, work.resolve("first"))) {
        fold.start();
        while (!FoldBenchmark.caughtUp(admin, "restore-ledger", topics.clusterEvents().name(), end)) {
          Thread.sleep(200); // committed offsets are the completion signal under exactly-once
        }
        System.out.printf("folded %,d events in %.1f s: %,d nodes, %,d reservations in the stores%n", events,
            seconds(foldStart), entries(fold, LedgerTopology.NODE_SUMMARIES_STORE),
            entries(fold, LedgerTopology.NODE_RESERVATIONS_STORE));
      }

      long restoreStart = System.nanoTime();
      try (KafkaStreams restored = streams(config, topics, work.resolve("elsewhere"))) {
        restored.start();
        while (restored.state() != KafkaStreams.State.RUNNING) {
          Thread.sleep(50);
        }
        System.out.printf("running again with no local state after %.1f s (stores restored from their changelogs: "
            + "%,d nodes, %,d reservations)%n", seconds(restoreStart),
            entries(restored, LedgerTopology.NODE_SUMMARIES_STORE),
            entries(restored, LedgerTopology.NODE_RESERVATIONS_STORE));
      }
    }
  }

  private static KafkaStreams streams(LedgerConfig config, Topics topics, Path stateDir) throws Exception {
    return new KafkaStreams(LedgerTopology.build(topics, LedgerRules.DEFAULT, config.emitInterval(), config.kafka().partitions()),
        config.withStateDir(Files.createDirectories(stateDir)).streamsProperties());
  }

  private static long entries(KafkaStreams streams, String store) {
    return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()))
        .approximateNumEntries();
  }

  private static double seconds(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis() / 1000.0;
  }
}
