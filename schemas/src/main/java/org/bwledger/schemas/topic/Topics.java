package org.bwledger.schemas.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
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

  /**
   * How long every state the ledger publishes stays in its output before compaction may leave only
   * each node's latest, counted from the state's time: the projector's default history retention.
   * A projector that comes back after a stop, or a replica that starts afresh, reads the versions
   * its history serves from this topic; compacted sooner, they would be gone.
   */
  public static final Duration STATES_KEPT_WHOLE = Duration.ofDays(7);

  /**
   * The shared topics as they are to be created: the log kept forever, the states compacted once
   * older than {@link #STATES_KEPT_WHOLE}, the dead letters in one partition. Replication is the
   * broker's default.
   */
  public List<NewTopic> definitions(int partitions) {
    return List.of(
        new NewTopic(clusterEvents.name(), partitions, (short) -1)
            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
        new NewTopic(nodeBandwidth.name(), partitions, (short) -1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(STATES_KEPT_WHOLE.toMillis()))),
        new NewTopic(deadLetters.name(), 1, (short) -1));
  }

  /**
   * Creates what is missing of the shared topics, as {@link #definitions} says; topics that exist
   * are left as their operator configured them. Every process that writes to them calls it, so no
   * broker auto-creates one with its defaults (a week's retention would lose the log).
   *
   * @return the topics it created
   */
  public List<NewTopic> createMissing(Admin admin, int partitions) throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> missing = definitions(partitions).stream()
        .filter(topic -> !existing.contains(topic.name()))
        .toList();
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get();
    }
    return missing;
  }

  /** The topics named with {@code prefix}, e.g. {@code bw.} gives {@code bw.cluster-events}. */
  public static Topics withPrefix(String prefix) {
    Serde<String> keys = Serdes.String();
    return new Topics(
        new Topic<>(prefix + "cluster-events", keys, AvroSerde.of(ClusterEvent.class)),
        new Topic<>(prefix + "node-bandwidth", keys, AvroSerde.of(NodeBandwidth.class)),
        new Topic<>(prefix + "dead-letters", Serdes.ByteArray(), Serdes.ByteArray()));
  }
}
