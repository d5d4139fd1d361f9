package org.bwledger.ledger.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live ledger on a real broker (three partitions it creates itself, exactly-once) and the
 * in-memory fold that replay uses reach the same node states from the same events, resyncs
 * included, down to the ledger position; only {@code oversubscribedSince} may differ.
 */
@WithKafka
class LiveTopologyMatchesLocalFoldTest {

  private final TestKafka kafka;
  /** Every record the ledger published in the last fold, in the order read. */
  private final List<ConsumerRecord<String, NodeBandwidth>> everyRecord = new ArrayList<>();

  @TempDir
  Path stateDir;

  LiveTopologyMatchesLocalFoldTest(TestKafka kafka) {
    this.kafka = kafka;
  }

  @Test
  void theSameEventsGiveTheSameNodeStates() throws Exception {
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(12, 200, 30, 6_000).generate(42, new EventFactory(), history::add);

    SortedMap<String, NodeBandwidth> expected = foldLiveAndLocally("bw1.", history, List.of(), LedgerStarts.BEFORE);

    assertThat(expected).hasSize(12);
    assertThat(expected.values()).anyMatch(n -> n.getReservations().stream().anyMatch(r -> r.getLinkLocal()));
  }

  /**
   * A long history written while the ledger was away is folded by three partitions at their own
   * pace, and link-local flips travel a stage further than the pod changes beside them; still, what
   * the ledger published as of any time is the local fold of the events observed up to then.
   */
  @Test
  void asOfAnyTimeThePublishedStatesAreTheFoldOfTheLogUpToThen() throws Exception {
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(12, 200, 30, 6_000).generate(43, new EventFactory(), history::add);

    foldLiveAndLocally("bw3.", history, List.of(), LedgerStarts.AFTER);

    Random random = new Random(3);
    Instant first = history.get(0).getObservedAt();
    long span = Duration.between(first, history.get(history.size() - 1).getObservedAt()).toMillis();
    for (int look = 0; look < 20; look++) {
      Instant at = first.plusMillis((long) (random.nextDouble() * span));
      LocalFold local = new LocalFold(LedgerRules.DEFAULT, 3, FoldNotices.LOGGED);
      history.stream().filter(event -> !event.getObservedAt().isAfter(at)).forEach(local::apply);
      assertThat(withoutSince(publishedAsOf(at))).as("as of %s", at).isEqualTo(withoutSince(local.published()));
    }
  }

  @Test
  void aResyncWrittenToEveryPartitionRetiresThePodsEachPartitionMissed() throws Exception {
    EventFactory events = new EventFactory();
    List<ClusterEvent> history = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      history.add(events.nodeObserved("node-" + n));
    }
    for (int p = 0; p < 40; p++) {
      history.add(events.pod("pod-" + p).on("node-" + (p % 4)).ownedBy("w" + (p % 3)).egress("10M").observed());
      if (p % 4 != 1) {
        live.add("pod-" + p); // every fourth pod's delete was never seen
      }
    }
    var relistStart = events.now();
    List<ClusterEvent> resync = List.of(
        events.resyncChunk("relist-1", 0, false, relistStart, live.subList(0, 15), List.of("node-0", "node-1")),
        events.resyncChunk("relist-1", 1, true, relistStart, live.subList(15, live.size()), List.of("node-2", "node-3")));

    SortedMap<String, NodeBandwidth> expected = foldLiveAndLocally("bw2.", history, resync, LedgerStarts.BEFORE);

    assertThat(expected.get("node-1").getReservations()).isEmpty();
    assertThat(expected.values()).flatExtracting(NodeBandwidth::getReservations).hasSize(30);
  }

  /** When the ledger starts: before the events are written, or after (it comes back to a backlog). */
  private enum LedgerStarts { BEFORE, AFTER }

  /**
   * Folds {@code history}, then {@code resync} (written to every partition, as ingest writes it),
   * with the live ledger on three partitions and with {@link LocalFold}; asserts they agree and
   * returns the states.
   */
  private SortedMap<String, NodeBandwidth> foldLiveAndLocally(String prefix, List<ClusterEvent> history,
      List<ClusterEvent> resync, LedgerStarts starts) throws Exception {
    LocalFold local = new LocalFold(LedgerRules.DEFAULT, 3, FoldNotices.LOGGED);
    history.forEach(local::apply);
    resync.forEach(local::apply);
    SortedMap<String, NodeBandwidth> expected = withoutSince(local.published());

    LedgerConfig config = LedgerConfig.defaults()
        .withKafka(new KafkaSettings(kafka.bootstrapServers(), prefix, 3,
            Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")))
        .withApplicationId(prefix + "ledger")
        .withStateDir(Files.createDirectories(stateDir.resolve("ledger")))
        .withEmitInterval(Duration.ofMillis(200))
        .withServing(ServingSettings.loopback());
    Topics topics = config.kafka().topics();
    try (LedgerService ledger = new LedgerService(config, Guard.NONE);
         KafkaConsumer<String, NodeBandwidth> published = consumer(kafka, topics)) {
      List<ClusterEvent> events = Stream.concat(history.stream(), resync.stream()).toList();
      if (starts == LedgerStarts.AFTER) {
        kafka.createTopics(topics, 3);
        kafka.produce(topics, events);
      }
      ledger.start();
      if (starts == LedgerStarts.BEFORE) {
        kafka.produce(topics, events);
      }
      published.subscribe(List.of(topics.nodeBandwidth().name()));
      SortedMap<String, NodeBandwidth> nodes = new TreeMap<>();

      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        published.poll(Duration.ofMillis(100)).forEach(record -> {
          everyRecord.add(record);
          if (record.value() == null) {
            nodes.remove(record.key());
          } else {
            nodes.put(record.key(), record.value());
          }
        });
        assertThat(withoutSince(nodes)).isEqualTo(expected);
      });
    }
    return expected;
  }

  /**
   * Each node's state as of {@code at}, by what the ledger published: its latest record timed at or
   * before it, unless that is a tombstone.
   */
  private SortedMap<String, NodeBandwidth> publishedAsOf(Instant at) {
    SortedMap<String, NodeBandwidth> nodes = new TreeMap<>();
    for (ConsumerRecord<String, NodeBandwidth> record : everyRecord) {
      if (record.timestamp() <= at.toEpochMilli()) {
        nodes.put(record.key(), record.value());
      }
    }
    nodes.values().removeIf(Objects::isNull);
    return nodes;
  }

  private static KafkaConsumer<String, NodeBandwidth> consumer(TestKafka kafka, Topics topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, topics.nodeBandwidth().keySerde().deserializer(),
        topics.nodeBandwidth().valueSerde().deserializer());
  }

  /**
   * The states without {@code oversubscribedSince}: whether a node was oversubscribed for a moment
   * depends on which transient states the partitions' interleaving passes through.
   */
  private static SortedMap<String, NodeBandwidth> withoutSince(Map<String, NodeBandwidth> nodes) {
    SortedMap<String, NodeBandwidth> out = new TreeMap<>();
    nodes.forEach((name, node) -> {
      NodeBandwidth copy = new NodeBandwidth();
      for (int field = 0; field < node.getSchema().getFields().size(); field++) {
        copy.put(field, node.get(field));
      }
      copy.setOversubscribedSince(null);
      out.put(name, copy);
    });
    return out;
  }
}
