package org.bwledger.schemas.topic;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * The topics bwledger shares between its processes, named with a configurable prefix ({@code bw.} by
 * default, DESIGN §2).
 *
 * @param clusterEvents the append-only log of observed changes: the source of truth
 * @param nodeBandwidth the compacted latest state per node
 * @param deadLetters records the ledger could not decode, with the reason in their headers
 */
public record Topics(
    Topic<String, ClusterEvent> clusterEvents,
    Topic<String, NodeBandwidth> nodeBandwidth,
    Topic<byte[], byte[]> deadLetters) {

  public static final String DEFAULT_PREFIX = "bw.";

  /** The topics named with {@code prefix}, e.g. {@code bw.} gives {@code bw.cluster-events}. */
  public static Topics withPrefix(String prefix) {
    Serde<String> keys = Serdes.String();
    return new Topics(
        new Topic<>(prefix + "cluster-events", keys, AvroSerde.of(ClusterEvent.class)),
        new Topic<>(prefix + "node-bandwidth", keys, AvroSerde.of(NodeBandwidth.class)),
        new Topic<>(prefix + "dead-letters", Serdes.ByteArray(), Serdes.ByteArray()));
  }
}
