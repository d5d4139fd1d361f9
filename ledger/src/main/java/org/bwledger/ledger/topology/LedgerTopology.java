package org.bwledger.ledger.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.bwledger.ledger.fold.NodeBooks;
import org.bwledger.ledger.fold.ObservedObjects;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeLedger;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.topic.Topics;

/**
 * The ledger: folds {@code bw.cluster-events} into per-node state on {@code bw.node-bandwidth}
 * (DESIGN §2). Three stages, each keyed by what it needs to know together:
 *
 * <pre>
 * cluster-events ─▶ observed-objects (by pod uid / node name)
 *                      ├─ sibling moves ─▶ [workload-changes] ─▶ workload-placements (by workload)
 *                      │                                              │ link-local flips
 *                      └─ reservations, presence, specs ──────────────┴─▶ [node-changes] ─▶ node-books (by node)
 *                                                                                              ▼
 *                                                                                       node-bandwidth
 * </pre>
 *
 * An event costs a constant number of store updates; only a link-local flip adds messages, two at
 * most. Every store and internal topic is named, so the topology can change without losing state.
 */
public final class LedgerTopology {

  public static final String PODS_STORE = "pods";
  public static final String NODES_STORE = "nodes";
  public static final String RESYNC_CHUNKS_STORE = "resync-chunks";
  public static final String WORKLOAD_SPREADS_STORE = "workload-spreads";
  public static final String NODE_LEDGERS_STORE = "node-ledgers";

  private LedgerTopology() {}

  /** The topology that folds {@code topics.clusterEvents()} with {@code rules}. */
  public static Topology build(Topics topics, LedgerRules rules) {
    Serde<String> keys = Serdes.String();
    AvroSerde<ClusterEvent> events = AvroSerde.of(ClusterEvent.class);
    AvroSerde<WorkloadChange> workloadChanges = AvroSerde.of(WorkloadChange.class);
    AvroSerde<NodeChange> nodeChanges = AvroSerde.of(NodeChange.class);
    NodeBooks books = new NodeBooks(rules);
    ObservedObjects objects = new ObservedObjects(rules);

    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(store(PODS_STORE, events));
    builder.addStateStore(store(NODES_STORE, events));
    builder.addStateStore(store(RESYNC_CHUNKS_STORE, events));
    builder.addStateStore(store(WORKLOAD_SPREADS_STORE, AvroSerde.of(WorkloadSpread.class)));

    // Remember each pod and node as last observed; say what changed for its workload and nodes.
    var routed = builder
        .stream(topics.clusterEvents().name(),
            Consumed.with(topics.clusterEvents().keySerde(), topics.clusterEvents().valueSerde())
                .withName("cluster-events"))
        .process(() -> new ObservedObjectsProcessor(objects), Named.as("observed-objects"),
            PODS_STORE, NODES_STORE, RESYNC_CHUNKS_STORE)
        .split(Named.as("to-"))
        .branch((key, value) -> value instanceof WorkloadChange, Branched.as("workloads"))
        .defaultBranch(Branched.as("nodes"));

    // Re-key sibling moves by workload, to learn where each workload is link-local.
    KStream<String, NodeChange> localityFlips = routed.get("to-workloads")
        .mapValues(value -> (WorkloadChange) value, Named.as("as-workload-change"))
        .repartition(Repartitioned.with(keys, workloadChanges).withName("workload-changes"))
        .process(WorkloadPlacementsProcessor::new, Named.as("workload-placements"), WORKLOAD_SPREADS_STORE);

    // Re-key every node change by node and keep the books; publish them, a tombstone once gone.
    routed.get("to-nodes")
        .mapValues(value -> (NodeChange) value, Named.as("as-node-change"))
        .merge(localityFlips, Named.as("all-node-changes"))
        .repartition(Repartitioned.with(keys, nodeChanges).withName("node-changes"))
        .groupByKey(Grouped.with("node-changes-by-node", keys, nodeChanges))
        .aggregate(() -> null, books::apply, Named.as("node-books"),
            Materialized.<String, NodeLedger, KeyValueStore<Bytes, byte[]>>as(NODE_LEDGERS_STORE)
                .withKeySerde(keys)
                .withValueSerde(AvroSerde.of(NodeLedger.class)))
        .toStream(Named.as("node-books-changes"))
        .mapValues(NodeBooks::published, Named.as("published-books"))
        .to(topics.nodeBandwidth().name(),
            Produced.with(topics.nodeBandwidth().keySerde(), topics.nodeBandwidth().valueSerde())
                .withName("node-bandwidth"));

    return builder.build();
  }

  private static <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
        .withCachingEnabled();
  }
}
