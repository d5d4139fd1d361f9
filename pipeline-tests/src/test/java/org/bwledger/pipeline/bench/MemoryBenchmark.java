package org.bwledger.pipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.projector.extender.PlacementBook;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * The heap a cluster's books take, in each process that keeps them: the live ledger's state stores
 * (the topology under Kafka Streams' test driver, with its in-memory stores and mirrors, as in
 * production), replay's tables, and the projector's placement book (every node's state, decoded,
 * for the scheduler extender; the projector's stores are RocksDB, off the heap).
 * Each is measured after a full collection, for a cluster at rest and for one with more pods and one
 * with more nodes, so the cost splits into a part per pod and a part per node. From those, what a
 * cluster of 150,000 pods on 5,000 nodes needs, which the chart's defaults are set from. Run on
 * demand (after {@code mvn install -DskipTests}):
 *
 * <pre>
 * mvn -q -pl pipeline-tests exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.bwledger.pipeline.bench.MemoryBenchmark [-Dexec.args="PODS NODES"]
 * </pre>
 */
public final class MemoryBenchmark {

  private static final int WORKLOADS_PER_NODE = 2;
  private static final int TARGET_PODS = 150_000;
  private static final int TARGET_NODES = 5_000;

  private MemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    Figures.report(run(pods, nodes));
  }

  /** The heap per 10,000 pods and per 1,000 nodes, and at the target size, in each process. */
  public static List<Figure> run(int pods, int nodes) {
    List<Figure> figures = new ArrayList<>();
    figures.addAll(split("ledger stores", pods, nodes, MemoryBenchmark::ledgerHeap));
    figures.addAll(split("replay tables", pods, nodes, MemoryBenchmark::replayHeap));
    figures.addAll(split("projector placement book", pods, nodes, MemoryBenchmark::placementBookHeap));
    return figures;
  }

  /** Measures at (pods, nodes), (3 × pods, nodes) and (pods, 3 × nodes); splits the growth. */
  private static List<Figure> split(String what, int pods, int nodes, ToLongFunction<ClusterHistory> heap) {
    long base = heap.applyAsLong(cluster(pods, nodes));
    long morePods = heap.applyAsLong(cluster(3 * pods, nodes));
    long moreNodes = heap.applyAsLong(cluster(pods, 3 * nodes));
    double perPod = (morePods - base) / (2.0 * pods);
    double perNode = (moreNodes - base) / (2.0 * nodes);
    double fixed = base - perPod * pods - perNode * nodes;
    double target = fixed + perPod * TARGET_PODS + perNode * TARGET_NODES;
    System.out.printf("%s: %s at %,d pods on %,d nodes, %s with 3x the pods, %s with 3x the nodes%n",
        what, mib(base), pods, nodes, mib(morePods), mib(moreNodes));
    String setting = String.format("%s, from %,d pods on %,d nodes", what, pods, nodes);
    return List.of(
        Figure.of("memory", "per 10,000 pods, " + setting, perPod * 10_000 / (1 << 20), "MiB"),
        Figure.of("memory", "per 1,000 nodes, " + setting, perNode * 1_000 / (1 << 20), "MiB"),
        Figure.of("memory", String.format("at %,d pods on %,d nodes, %s", TARGET_PODS, TARGET_NODES, what),
            target / (1 << 20), "MiB"));
  }

  private static ClusterHistory cluster(int pods, int nodes) {
    return new ClusterHistory(nodes, pods, nodes * WORKLOADS_PER_NODE, 0);
  }

  /** The ledger's stores once the cluster has passed every stage, its published states read away. */
  private static long ledgerHeap(ClusterHistory cluster) {
    Duration emitInterval = LedgerConfig.defaults().emitInterval();
    Topics topics = Topics.withPrefix("bw.");
    long before = heapAfterFullGc();
    try {
      Path stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "memory");
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "memory");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      try (TopologyTestDriver driver = new TopologyTestDriver(
          LedgerTopology.build(topics, LedgerRules.DEFAULT, emitInterval, 1), props)) {
        TestInputTopic<String, ClusterEvent> events = driver.createInputTopic(topics.clusterEvents().name(),
            topics.clusterEvents().keySerde().serializer(), topics.clusterEvents().valueSerde().serializer());
        cluster.populate(7, new EventFactory(),
            event -> events.pipeInput(ClusterEventKey.of(event), event, event.getObservedAt()));
        for (int interval = 0; interval < 12; interval++) {
          driver.advanceWallClockTime(emitInterval.multipliedBy(20)); // every task says it is idle
        }
        // The driver keeps what the topology wrote (output, changelogs) until read; a broker would hold it.
        for (String topic : driver.producedTopicNames()) {
          driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
        }
        long held = heapAfterFullGc() - before;
        Reference.reachabilityFence(driver);
        return held;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replay's tables once the cluster is folded. */
  private static long replayHeap(ClusterHistory cluster) {
    long before = heapAfterFullGc();
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    cluster.populate(7, new EventFactory(), fold::apply);
    long held = heapAfterFullGc() - before;
    Reference.reachabilityFence(fold);
    return held;
  }

  /** The projector's placement book once it holds every node's state, decoded as read from Kafka. */
  private static long placementBookHeap(ClusterHistory cluster) {
    AvroSerde<NodeBandwidth> states = AvroSerde.of(NodeBandwidth.class);
    List<byte[]> published = publishedStates(cluster, states);
    System.out.printf("%,d pods on %,d nodes: %s of node states on the topic%n", cluster.podSlots(), cluster.nodes(),
        mib(published.stream().mapToLong(state -> state.length).sum()));
    long before = heapAfterFullGc();
    PlacementBook book = new PlacementBook();
    book.seed(published.stream().map(states::decode).toList());
    long held = heapAfterFullGc() - before;
    Reference.reachabilityFence(book);
    Reference.reachabilityFence(published);
    return held;
  }

  /** The states the ledger publishes for {@code cluster}, as bytes on the topic. */
  private static List<byte[]> publishedStates(ClusterHistory cluster, AvroSerde<NodeBandwidth> states) {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    cluster.populate(7, new EventFactory(), fold::apply);
    return fold.published().values().stream().map(states::encode).toList();
  }

  private static long heapAfterFullGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String mib(long bytes) {
    return String.format("%,.1f MiB", bytes / (double) (1 << 20));
  }
}
