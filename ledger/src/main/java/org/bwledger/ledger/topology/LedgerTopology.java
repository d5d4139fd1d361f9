package org.bwledger.ledger.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.ledger.fold.NodeBooks;
import org.bwledger.ledger.fold.ObservedObjects;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.Progress;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.topic.Topics;

/**
 * The ledger: folds {@code bw.cluster-events} into per-node state on {@code bw.node-bandwidth}
 * (DESIGN §2). Three stages, each keyed by what it needs to know together:
 *
 * <pre>
 * cluster-events ─▶ observed-objects (by pod uid / node name; extenders' assumptions too)
 *                      ├─ sibling moves ─▶ [workload-changes] ─▶ workload-placements (by workload)
 *                      │                                              │ link-local flips
 *                      └─ reservations, presence, specs ──────────────┴─▶ [node-changes] ─▶ node-books (by node)
 *                                                                                              ▼ changed nodes, at once
 *                                                                                       node-bandwidth  or once per interval
 * </pre>
 *
 * An event costs a constant number of small store updates; only a link-local flip adds messages,
 * two at most, and touches the reservations of those two nodes. Every store and internal topic is
 * named, so the topology can change without losing state.
 *
 * <p>The two later stages take their input in event-time order ({@link EventTimeOrder}): each task
 * of a stage tells every partition of the next one, in line, how far it has come, and a change waits
 * until all its sources have passed its time. So the states published are those the log holds at
 * each time, though a burst of history is folded at once and flips travel one stage further.
 */
public final class LedgerTopology {

  public static final String PODS_STORE = "pods";
  public static final String NODES_STORE = "nodes";
  public static final String RESYNC_CHUNKS_STORE = "resync-chunks";
  public static final String ASSUMPTIONS_STORE = "assumptions";
  public static final String ASSUMPTION_DEADLINES_STORE = "assumption-deadlines";
  public static final String WORKLOAD_SPREADS_STORE = "workload-spreads";
  public static final String NODE_SUMMARIES_STORE = "node-summaries";
  public static final String NODE_RESERVATIONS_STORE = "node-reservations";
  public static final String CHANGED_NODES_STORE = "changed-nodes";
  public static final String HELD_WORKLOAD_CHANGES_STORE = "held-workload-changes";
  public static final String WORKLOAD_SOURCES_STORE = "workload-sources";
  public static final String HELD_NODE_CHANGES_STORE = "held-node-changes";
  public static final String NODE_SOURCES_STORE = "node-sources";

  /** The entry of {@link org.apache.kafka.streams.StreamsConfig} properties holding the micrometer registry. */
  public static final String METRICS_CONFIG = "bwledger.metrics";

  static final String EVENTS_SOURCE = "events-";
  static final String WORKLOADS_SOURCE = "workloads-";
  static final String NODES_SOURCE = "nodes-";

  private LedgerTopology() {}

  /**
   * The topology that folds {@code topics.clusterEvents()}, of {@code partitions} partitions, with
   * {@code rules}, publishing a changed node at once if it was not published within the last
   * {@code emitInterval}, else at that interval's end.
   */
  public static Topology build(Topics topics, LedgerRules rules, Duration emitInterval, int partitions) {
    Serde<String> keys = Serdes.String();
    AvroSerde<ClusterEvent> events = AvroSerde.of(ClusterEvent.class);
    AvroSerde<WorkloadChange> workloadChanges = AvroSerde.of(WorkloadChange.class);
    AvroSerde<NodeChange> nodeChanges = AvroSerde.of(NodeChange.class);
    NodeBooks books = new NodeBooks(rules);
    ObservedObjects objects = new ObservedObjects(rules, FoldNotices.LOGGED);

    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(store(PODS_STORE, events));
    builder.addStateStore(store(NODES_STORE, events));
    builder.addStateStore(store(RESYNC_CHUNKS_STORE, events));
    builder.addStateStore(store(ASSUMPTIONS_STORE, events));
    builder.addStateStore(store(ASSUMPTION_DEADLINES_STORE, keys));
    builder.addStateStore(store(WORKLOAD_SPREADS_STORE, AvroSerde.of(WorkloadSpread.class)));
    builder.addStateStore(store(NODE_SUMMARIES_STORE, AvroSerde.of(NodeSummary.class)));
    builder.addStateStore(store(NODE_RESERVATIONS_STORE, Serdes.ByteArray())); // NodeBooksProcessor keeps the bytes
    builder.addStateStore(store(CHANGED_NODES_STORE, Serdes.Long()));
    builder.addStateStore(store(HELD_WORKLOAD_CHANGES_STORE, workloadChanges));
    builder.addStateStore(store(WORKLOAD_SOURCES_STORE, AvroSerde.of(Progress.class)));
    builder.addStateStore(store(HELD_NODE_CHANGES_STORE, nodeChanges));
    builder.addStateStore(store(NODE_SOURCES_STORE, AvroSerde.of(Progress.class)));

    // Remember each pod and node as last observed; say what changed for its workload and nodes.
    var routed = builder
        .stream(topics.clusterEvents().name(),
            Consumed.with(topics.clusterEvents().keySerde(), topics.clusterEvents().valueSerde())
                .withName("cluster-events"))
        .process(() -> new ObservedObjectsProcessor(objects, ProgressPace.of(emitInterval)),
            Named.as("observed-objects"),
            PODS_STORE, NODES_STORE, RESYNC_CHUNKS_STORE, ASSUMPTIONS_STORE, ASSUMPTION_DEADLINES_STORE)
        .split(Named.as("to-"))
        .branch((key, value) -> value instanceof WorkloadChange, Branched.as("workloads"))
        .defaultBranch(Branched.as("nodes"));

    // Re-key sibling moves by workload, to learn where each workload is link-local.
    KStream<String, NodeChange> localityFlips = routed.get("to-workloads")
        .mapValues(value -> (WorkloadChange) value, Named.as("as-workload-change"))
        .repartition(Repartitioned.with(keys, workloadChanges).withName("workload-changes")
            .withNumberOfPartitions(partitions)
            .withStreamPartitioner(new ProgressToEveryPartition<>(change -> change.getProgress() != null)))
        .process(() -> new WorkloadPlacementsProcessor(sources(EVENTS_SOURCE, partitions)),
            Named.as("workload-placements"), WORKLOAD_SPREADS_STORE, HELD_WORKLOAD_CHANGES_STORE, WORKLOAD_SOURCES_STORE);

    // Re-key every node change by node and keep the books; publish changed nodes, a tombstone once gone.
    routed.get("to-nodes")
        .mapValues(value -> (NodeChange) value, Named.as("as-node-change"))
        .merge(localityFlips, Named.as("all-node-changes"))
        .repartition(Repartitioned.with(keys, nodeChanges).withName("node-changes")
            .withNumberOfPartitions(partitions)
            .withStreamPartitioner(new ProgressToEveryPartition<>(change -> change.getChange() instanceof Progress)))
        .process(() -> new NodeBooksProcessor(books, emitInterval, sources(WORKLOADS_SOURCE, partitions)),
            Named.as("node-books"),
            NODE_SUMMARIES_STORE, NODE_RESERVATIONS_STORE, CHANGED_NODES_STORE, HELD_NODE_CHANGES_STORE, NODE_SOURCES_STORE)
        .to(topics.nodeBandwidth().name(),
            Produced.with(topics.nodeBandwidth().keySerde(), Serdes.ByteArray()) // encoded by NodeBooksProcessor
                .withName("node-bandwidth"));

    return builder.build();
  }

  /** The tasks of a stage, one per partition. */
  private static List<String> sources(String stage, int partitions) {
    return IntStream.range(0, partitions).mapToObj(partition -> stage + partition).toList();
  }

  static final String WORKLOADS_STAGE = "workloads";
  static final String NODES_STAGE = "nodes";

  /** The later stages, whose input is put in event-time order ({@link EventTimeOrder}). */
  public static final List<String> ORDERED_STAGES = List.of(WORKLOADS_STAGE, NODES_STAGE);

  /** Counts changes that came after their turn at {@code stage}, one of {@link #ORDERED_STAGES}. */
  public static Counter lateChanges(MeterRegistry registry, String stage) {
    return Counter.builder("bwledger.ledger.late.changes").tag("stage", stage)
        .description("Changes that reached a stage after later ones had been applied: their node's history is inexact around them")
        .register(registry);
  }

  /** The same counter for a processor, on the registry its application was given (or none). */
  static Counter lateChanges(ProcessorContext<?, ?> context, String stage) {
    MeterRegistry registry = context.appConfigs().get(METRICS_CONFIG) instanceof MeterRegistry given
        ? given : new SimpleMeterRegistry(); // counted nowhere, for a topology run without metrics
    return lateChanges(registry, stage);
  }

  /**
   * In-memory stores, changelogged: the state is one entry per pod, node and workload (tens of MB
   * for 50,000 pods) and restores from its compacted changelog, while RocksDB cost about 40% of the
   * fold's throughput in the benchmark. No record cache: committing every few tens of milliseconds,
   * it coalesced little, while its sorted map per store cost on every put and at every commit.
   * Without it {@code FoldBenchmark} ran at 0.15–0.16 of the pass-through rather than 0.11–0.12,
   * and a restore took no longer (docs/architecture.md).
   */
  private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values);
  }
}
