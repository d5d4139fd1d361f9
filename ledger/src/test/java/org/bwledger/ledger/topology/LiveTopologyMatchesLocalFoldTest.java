package org.bwledger.ledger.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.testing.TestKafka;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live ledger on a real broker (three partitions it creates itself, exactly-once) and the
 * in-memory fold that replay uses reach the same node states from the same events. Only {@code oversubscribedSince} may
 * differ: it depends on the transient states the partitions' interleaving passes through.
 */
class LiveTopologyMatchesLocalFoldTest {

  @TempDir
  Path stateDir;

  @Test
  void theSameEventsGiveTheSameNodeStates() throws Exception {
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(12, 200, 30, 6_000).generate(42, new EventFactory(), history::add);
    LocalFold local = new LocalFold(LedgerRules.DEFAULT);
    history.forEach(local::apply);
    SortedMap<String, NodeBandwidth> expected = withoutSince(local.published());

    try (TestKafka kafka = TestKafka.start()) {
      LedgerConfig config = new LedgerConfig(kafka.bootstrapServers(), "bw.", "ledger-it",
          Files.createDirectories(stateDir.resolve("ledger")), LedgerRules.DEFAULT, Duration.ofMillis(200), 3,
          Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"));
      Topics topics = config.topics();
      try (LedgerService ledger = new LedgerService(config);
           KafkaConsumer<String, NodeBandwidth> published = consumer(kafka, topics)) {
        ledger.start();
        produce(kafka, topics, history);
        published.subscribe(List.of(topics.nodeBandwidth().name()));
        SortedMap<String, NodeBandwidth> nodes = new TreeMap<>();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          published.poll(Duration.ofMillis(100)).forEach(record -> {
            if (record.value() == null) {
              nodes.remove(record.key());
            } else {
              nodes.put(record.key(), record.value());
            }
          });
          assertThat(withoutSince(nodes)).isEqualTo(expected);
        });
      }
    }
    assertThat(expected).hasSize(12);
    assertThat(expected.values()).anyMatch(n -> n.getReservations().stream().anyMatch(r -> r.getLinkLocal()));
  }

  private static void produce(TestKafka kafka, Topics topics, List<ClusterEvent> history) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, ClusterEvent> producer = new KafkaProducer<>(props,
        topics.clusterEvents().keySerde().serializer(), topics.clusterEvents().valueSerde().serializer())) {
      for (ClusterEvent event : history) {
        producer.send(new ProducerRecord<>(topics.clusterEvents().name(), null,
            event.getObservedAt().toEpochMilli(), EventFactory.keyOf(event), event));
      }
    }
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
