package org.bwledger.ledger.bench;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.awaitility.core.ConditionTimeoutException;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * Scale-out as users do it: the same history on the same partitions, folded by 1, 2, 3… ledger
 * instances (separate Kafka Streams clients of one application, as separate pods would be), each
 * run on a fresh copy of the log. For each run: events per second until every partition's input is
 * committed, which partitions each instance was given, and a check that the published node states
 * are exactly those of replay's fold of the same log. Run on demand:
 *
 * <pre>
 * mvn -q -pl ledger exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bwledger.ledger.bench.ScaleOutBenchmark -Dexec.args="300000 6 1,2,3"
 * </pre>
 *
 * <p>All instances share this JVM and the broker's cores: on a machine of 2 cores the rate cannot
 * grow with instances; the figures then say what one more instance costs, and that the work and
 * the result split and agree as Kafka assigns them.
 */
public final class ScaleOutBenchmark {

  private ScaleOutBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    List<Integer> instanceCounts = Arrays.stream((args.length > 2 ? args[2] : "1,2,3").split(","))
        .map(Integer::parseInt).toList();
    Figures.report(run(events, partitions, instanceCounts));
  }

  /** One figure per instance count, each beside the first count's rate. */
  public static List<Figure> run(long events, int partitions, List<Integer> instanceCounts) throws Exception {
    ClusterHistory history = new ClusterHistory(2_000, 50_000, 4_000, events);
    LocalFold replay = new LocalFold(LedgerRules.DEFAULT, partitions, FoldNotices.LOGGED);
    history.generate(7, new EventFactory(), replay::apply);
    SortedMap<String, NodeBandwidth> expected = replay.published();
    Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "scale-out");

    List<Figure> figures = new ArrayList<>();
    try (TestKafka kafka = TestKafka.start(); Admin admin = kafka.admin()) {
      Double first = null;
      for (int instances : instanceCounts) {
        String prefix = "scale-" + instances + ".";
        Topics topics = Topics.withPrefix(prefix);
        kafka.createTopics(topics, partitions);
        FoldBenchmark.produce(kafka, topics, history);
        Map<TopicPartition, Long> end = TopicOffsets.ends(admin, topics.clusterEvents().name());

        LedgerConfig config = LedgerConfig.defaults()
            .withKafka(new KafkaSettings(kafka.bootstrapServers(), prefix, partitions, Map.of()))
            .withApplicationId(prefix + "ledger");
        MeterRegistry metrics = new SimpleMeterRegistry(); // shared: the late changes of every instance
        List<KafkaStreams> ledgers = new ArrayList<>();
        try {
          long start = System.nanoTime();
          for (int i = 0; i < instances; i++) {
            Properties properties = config.withStateDir(Files.createDirectories(work.resolve(prefix + i)))
                .streamsProperties();
            properties.put(LedgerTopology.METRICS_CONFIG, metrics);
            KafkaStreams ledger = new KafkaStreams(
                LedgerTopology.build(topics, LedgerRules.DEFAULT, config.emitInterval(), partitions), properties);
            ledgers.add(ledger);
            ledger.start();
          }
          while (!FoldBenchmark.caughtUp(admin, config.applicationId(), topics.clusterEvents().name(), end)) {
            Thread.sleep(100); // committed offsets: the completion signal under exactly-once
          }
          double rate = events / ((System.nanoTime() - start) / 1e9);
          List<String> assignment = new ArrayList<>();
          for (KafkaStreams ledger : ledgers) {
            assignment.add(inputPartitions(ledger, topics.clusterEvents().name()).toString());
          }
          String agreement = agreement(kafka, topics, expected);
          System.out.printf("%d instance(s): %,.0f events/s; input partitions per instance %s; %s; late changes %s%n",
              instances, rate, String.join(" ", assignment), agreement, lateChanges(metrics));
          first = first == null ? rate : first;
          figures.add(Figure.of("scale-out", String.format("fold, %d instance(s), %d partitions, %,d events",
              instances, partitions, events), rate, "events/s").beside("1 instance", first));
        } finally {
          ledgers.forEach(KafkaStreams::close);
        }
      }
    }
    return figures;
  }

  /**
   * Whether the published states become replay's within a minute (the last changes wait for every
   * partition to fall quiet); if not, which nodes differ. A benchmark reports it rather than fails:
   * live, a partition judged quiet too early makes changes late (counted by the ledger), and a
   * machine starved of CPU is where that shows.
   */
  private static String agreement(TestKafka kafka, Topics topics, SortedMap<String, NodeBandwidth> expected) {
    try {
      await().atMost(Duration.ofMinutes(1)).until(() -> kafka.latest(topics.nodeBandwidth()).equals(expected));
      return String.format("the %,d node states published are replay's", expected.size());
    } catch (ConditionTimeoutException e) {
      SortedMap<String, NodeBandwidth> published = kafka.latest(topics.nodeBandwidth());
      List<String> differ = expected.keySet().stream()
          .filter(node -> !expected.get(node).equals(published.get(node))).toList();
      return String.format("%,d of %,d node states differ from replay's (%s)", differ.size(), expected.size(),
          String.join(", ", differ.subList(0, Math.min(5, differ.size()))));
    }
  }

  /** The changes each ordered stage took after their turn, which make history inexact around them. */
  private static String lateChanges(MeterRegistry metrics) {
    return LedgerTopology.ORDERED_STAGES.stream()
        .map(stage -> String.format("%s %,.0f", stage, LedgerTopology.lateChanges(metrics, stage).count()))
        .collect(Collectors.joining(", "));
  }

  /** The partitions of {@code topic} this client's threads hold as active tasks. */
  private static TreeSet<Integer> inputPartitions(KafkaStreams ledger, String topic) {
    TreeSet<Integer> held = new TreeSet<>();
    for (ThreadMetadata thread : ledger.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        task.topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
            .forEach(tp -> held.add(tp.partition()));
      }
    }
    return held;
  }
}
