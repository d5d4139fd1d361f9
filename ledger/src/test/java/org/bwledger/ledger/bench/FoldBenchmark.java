package org.bwledger.ledger.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.bench.BenchArguments;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * Fold throughput against a pass-through Streams app, on the same generated history and the same
 * in-JVM broker, both exactly-once. Not a test: run it on demand.
 *
 * <pre>
 * mvn -q -pl ledger -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bwledger.ledger.bench.FoldBenchmark \
 *     [-Dexec.args="EVENTS PARTITIONS [EMIT_MS,…] [streams.key=value…]"]
 * </pre>
 *
 * <p>With several emit intervals (milliseconds, comma-separated), the fold runs once per interval
 * against the one pass-through: what a shorter interval costs in throughput. The figures end in
 * one table; {@code -Dbench.json=FILE} writes them as JSON too.
 */
public final class FoldBenchmark {

  private FoldBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArguments arguments = BenchArguments.parse(args);
    long events = Long.parseLong(arguments.at(0, "1000000"));
    int partitions = Integer.parseInt(arguments.at(1, "2"));
    List<Duration> emitIntervals = arguments.millis(2, LedgerConfig.defaults().emitInterval());
    Map<String, String> streamsOverrides = arguments.streamsSettings();
    Figures.report(run(events, partitions, emitIntervals, streamsOverrides));
  }

  /** The pass-through's rate, then the fold's for each emit interval beside it. */
  public static List<Figure> run(long events, int partitions, List<Duration> emitIntervals,
      Map<String, String> streamsOverrides) throws Exception {
    ClusterHistory history = new ClusterHistory(2_000, 50_000, 4_000, events);
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench");
    List<Figure> figures = new ArrayList<>();
    try (TestKafka kafka = TestKafka.start()) {
      Topics topics = Topics.withPrefix("bench.");
      kafka.createTopics(topics, partitions);
      long produceStart = System.nanoTime();
      produce(kafka, topics, history);
      report("produce", events, produceStart);

      String setting = String.format("%,d events, %d partitions", events, partitions)
          + (streamsOverrides.isEmpty() ? "" : ", " + streamsOverrides);
      double baseline = run(kafka, "pass-through", passThrough(topics), topics, work, events, streamsOverrides);
      figures.add(Figure.of("fold", "pass-through, " + setting, baseline, "events/s"));
      for (Duration emitInterval : emitIntervals) {
        double fold = run(kafka, "fold-" + emitInterval.toMillis() + "ms",
            LedgerTopology.build(topics, LedgerRules.DEFAULT, emitInterval, partitions), topics, work, events,
            streamsOverrides);
        figures.add(Figure.of("fold", "fold, emit " + emitInterval.toMillis() + " ms, " + setting, fold, "events/s")
            .beside("pass-through", baseline));
      }
    }
    return figures;
  }

  private static Topology passThrough(Topics topics) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.clusterEvents().name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .to("bench.pass-through", Produced.with(Serdes.String(), Serdes.ByteArray()));
    return builder.build();
  }

  /** Writes the history as ingest would, keyed and dated; returns once Kafka has it all. */
  static void produce(TestKafka kafka, Topics topics, ClusterHistory history) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<String, ClusterEvent> producer = new KafkaProducer<>(props,
        topics.clusterEvents().keySerde().serializer(), topics.clusterEvents().valueSerde().serializer())) {
      history.generate(7, new EventFactory(), event -> producer.send(new ProducerRecord<>(
          topics.clusterEvents().name(), null, event.getObservedAt().toEpochMilli(), ClusterEventKey.of(event), event)));
    }
  }

  /** Runs the app until its committed offsets reach the end of the input; returns events per second. */
  private static double run(TestKafka kafka, String name, Topology topology, Topics topics, Path work, long events,
      Map<String, String> streamsOverrides) throws Exception {
    LedgerConfig config = LedgerConfig.defaults()
        .withKafka(new KafkaSettings(kafka.bootstrapServers(), "bench.", 1, streamsOverrides))
        .withApplicationId("bench-" + name)
        .withStateDir(Files.createDirectories(work.resolve(name)));
    try (Admin admin = kafka.admin();
         KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties())) {
      String input = topics.clusterEvents().name();
      Map<TopicPartition, Long> end = TopicOffsets.ends(admin, input);
      long start = System.nanoTime();
      streams.start();
      while (!caughtUp(admin, "bench-" + name, input, end)) {
        Thread.sleep(100); // polling committed offsets, the completion signal under exactly-once
      }
      return report(name, events, start);
    }
  }

  /** Whether {@code group} has committed {@code end} in every partition of {@code topic}. */
  static boolean caughtUp(Admin admin, String group, String topic, Map<TopicPartition, Long> end) throws Exception {
    Map<TopicPartition, Long> committed = TopicOffsets.committed(admin, group, topic);
    return end.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
  }

  private static double report(String what, long events, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = events / seconds;
    System.out.printf("%-13s %,d events in %.1f s: %,.0f events/s%n", what, events, seconds, rate);
    return rate;
  }
}
