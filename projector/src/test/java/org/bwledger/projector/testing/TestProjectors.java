package org.bwledger.projector.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.projector.app.ProjectorConfig;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;

/** Projector replicas as the tests run them, and node states published as the ledger publishes them. */
public final class TestProjectors {

  private TestProjectors() {}

  /**
   * A replica on loopback at a free port, electing in {@code default}, keeping a day of history and
   * committing every 100 ms so that readiness follows closely.
   */
  public static ProjectorConfig config(TestKafka kafka, String prefix, String applicationId, Path stateDir,
      int partitions, double statusWritesPerSecond, SchedulingSettings scheduling) throws IOException {
    return config(new KafkaSettings(kafka.bootstrapServers(), prefix, partitions, Map.of()), applicationId, stateDir,
        statusWritesPerSecond, scheduling);
  }

  /** The same against {@code kafka}, its properties kept. */
  public static ProjectorConfig config(KafkaSettings kafka, String applicationId, Path stateDir,
      double statusWritesPerSecond, SchedulingSettings scheduling) throws IOException {
    Map<String, String> properties = new HashMap<>(kafka.properties());
    properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    return ProjectorConfig.defaults()
        .withKafka(kafka.withProperties(properties))
        .withApplicationId(applicationId)
        .withStateDir(Files.createDirectories(stateDir))
        .withHistoryRetention(Duration.ofDays(1))
        .withStatusWritesPerSecond(statusWritesPerSecond)
        .withServing(ServingSettings.loopback())
        .withExtender(HttpSettings.loopback())
        .withScheduling(scheduling);
  }

  /** Writes states to the node-bandwidth topic, each at its {@code updatedAt}, as the ledger does. */
  public static void publish(TestKafka kafka, Topics topics, List<NodeBandwidth> states) {
    try (KafkaProducer<String, NodeBandwidth> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        topics.nodeBandwidth().keySerde().serializer(), topics.nodeBandwidth().valueSerde().serializer())) {
      for (NodeBandwidth state : states) {
        producer.send(new ProducerRecord<>(topics.nodeBandwidth().name(), null, state.getUpdatedAt().toEpochMilli(),
            state.getNode(), state));
      }
    }
  }

  /**
   * A node's state as the ledger publishes it, dated {@code at}: 20 Gb/s local and 1 Gb/s network
   * capacity, {@code used} Mb/s up on both links, no reservation listed.
   */
  public static NodeBandwidth state(String node, Instant at, long used) {
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L);
    return NodeBandwidth.newBuilder().setNode(node).setSpec(null).setCapacity(capacity)
        .setUsed(new LinkFigures(used, 0L, used, 0L))
        .setRemaining(new LinkFigures(20_000L - used, 20_000L, 1_000L - used, 1_000L)).setReservations(List.of())
        .setUpdatedAt(at).setLastEventId("e-" + used).build();
  }
}
