package org.bwledger.projector.topology;

import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topic;

/**
 * The read side (DESIGN §2): the ledger's node states, kept twice, and handed to the status writer.
 *
 * <pre>
 *   bw.node-bandwidth ──┬──▶ nodes         (latest state per node: lists, lookups)
 *                       ├──▶ node-history  (versioned: a node's state at any time within the retention)
 *                       └──▶ status writer (Bandwidth objects' status, coalesced)
 * </pre>
 *
 * Each projector instance runs under its own application id, so each holds every node.
 */
public final class ProjectorTopology {

  /** Latest state per node. */
  public static final String NODES_STORE = "nodes";

  /** Every state of every node within the history retention, by the time the ledger dates it. */
  public static final String HISTORY_STORE = "node-history";

  private ProjectorTopology() {}

  /**
   * @param states the ledger's output
   * @param historyRetention how far back {@code ?at=} and history queries reach
   * @param statusWriter receives each new state (null: the node is gone)
   */
  public static Topology build(Topic<String, NodeBandwidth> states, Duration historyRetention,
      BiConsumer<String, NodeBandwidth> statusWriter) {
    StreamsBuilder builder = new StreamsBuilder();

    KStream<String, NodeBandwidth> nodeStates = builder.stream(states.name(),
        Consumed.with(states.keySerde(), states.valueSerde()).withName("node-states"));

    // Lists and lookups read the latest state. No cache: a range query reads past it, and would
    // lag behind the status writer by a commit interval.
    nodeStates.toTable(Named.as("latest"),
        Materialized.<String, NodeBandwidth, KeyValueStore<Bytes, byte[]>>as(NODES_STORE)
            .withKeySerde(states.keySerde())
            .withValueSerde(states.valueSerde())
            .withCachingDisabled());

    // Time travel reads the versioned history; a tombstone ends a node's history until it returns.
    nodeStates.toTable(Named.as("history"),
        Materialized.<String, NodeBandwidth>as(Stores.persistentVersionedKeyValueStore(HISTORY_STORE, historyRetention))
            .withKeySerde(states.keySerde())
            .withValueSerde(states.valueSerde()));

    // The status writer coalesces: under churn only each node's latest state is written.
    nodeStates.foreach(statusWriter::accept, Named.as("to-status-writer"));

    return builder.build();
  }
}
