package org.bwledger.ledger.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
 *
 * <p>Both apps first run once over a shorter history of their own, not reported, so that what is
 * measured is a warm JVM, as a ledger is after its first minute. A cold JVM spends most of a core
 * compiling (the broker's code, the clients', Kafka Streams', Avro's and the fold's) for the whole
 * of a 300,000-event fold; on 2 cores, that is CPU the stream thread waits for.
 */
public final class FoldBenchmark {

  /** Events of the history both apps run over first, unmeasured: enough for the JIT to settle. */
  private static final long WARM_UP_EVENTS = 100_000;

  private FoldBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArguments arguments = BenchArguments.parse(args);
    long events = Long.parseLong(arguments.at(0, "1000000"));
    int partitions = Integer.parseInt(arguments.at(1, "2"));
    // Each interval once: a run is named after its interval, and a second run of one name finds it done.
    List<Duration> emitIntervals = arguments.millis(2, LedgerConfig.defaults().emitInterval()).stream()
        .distinct().toList();
    Map<String, String> streamsOverrides = arguments.streamsSettings();
    Figures.report(run(events, partitions, emitIntervals, streamsOverrides));
  }

  /** The pass-through's rate, then the fold's for each emit interval beside it. */
  public static List<Figure> run(long events, int partitions, List<Duration> emitIntervals,
      Map<String, String> streamsOverrides) throws Exception {
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench");
    List<Figure> figures = new ArrayList<>();
    try (TestKafka kafka = TestKafka.start()) {
      long warmUpEvents = Math.min(events, WARM_UP_EVENTS);
      Topics warmUp = topics(kafka, "warm-up.", partitions, warmUpEvents);
      run(kafka, "warm-up-pass-through", passThrough(warmUp), warmUp, work, warmUpEvents, streamsOverrides);
      run(kafka, "warm-up-fold", LedgerTopology.build(warmUp, LedgerRules.DEFAULT, emitIntervals.get(0), partitions),
          warmUp, work, warmUpEvents, streamsOverrides);

      Topics topics = topics(kafka, "bench.", partitions, events);
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

  /** Topics under {@code prefix}, their input holding a generated history of {@code events}. */
  private static Topics topics(TestKafka kafka, String prefix, int partitions, long events) throws Exception {
    Topics topics = Topics.withPrefix(prefix);
    kafka.createTopics(topics, partitions);
    long start = System.nanoTime();
    produce(kafka, topics, new ClusterHistory(2_000, 50_000, 4_000, events));
    report(prefix + "produce", events, start);
    return topics;
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
      String output = topics.nodeBandwidth().name();
      Map<TopicPartition, Long> end = TopicOffsets.ends(admin, input);
      long outputBefore = TopicOffsets.sum(TopicOffsets.ends(admin, output));
      long start = System.nanoTime();
      streams.start();
      while (!caughtUp(admin, "bench-" + name, input, end)) {
        Thread.sleep(100); // polling committed offsets, the completion signal under exactly-once
      }
      double rate = report(name, events, start);
      System.out.println("  the stream thread's time, over about the last minute: " + threadTime(streams));
      long published = TopicOffsets.sum(TopicOffsets.ends(admin, output)) - outputBefore;
      if (published > 0) {
        // What a fold costs most: a node's whole state per publish. Commit markers take offsets too (a few per mille).
        System.out.printf("  node states published by then: %,d, %.2f an event%n", published, (double) published / events);
      }
      return rate;
    }
  }

  /** How the stream thread split its time between processing, committing, polling and punctuating. */
  private static String threadTime(KafkaStreams streams) {
    Map<String, Double> ratios = new TreeMap<>();
    streams.metrics().forEach((id, metric) -> {
      if (id.group().equals("stream-thread-metrics") && id.name().endsWith("-ratio")) {
        ratios.merge(id.name().replace("-ratio", ""), ((Number) metric.metricValue()).doubleValue(), Double::sum);
      }
    });
    return ratios.entrySet().stream()
        .map(ratio -> String.format("%s %.0f %%", ratio.getKey(), 100 * ratio.getValue()))
        .collect(Collectors.joining(", "));
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
