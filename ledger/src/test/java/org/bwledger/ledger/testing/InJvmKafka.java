package org.bwledger.ledger.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.bwledger.schemas.topic.Topics;

/** A real KRaft broker in this JVM (DESIGN §7): one combined controller and broker. */
public final class InJvmKafka implements AutoCloseable {

  private final KafkaClusterTestKit cluster;

  private InJvmKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  public static InJvmKafka start() throws Exception {
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(
            new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new InJvmKafka(cluster);
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public Admin admin() {
    return cluster.admin();
  }

  /** Creates bwledger's shared topics: the log (kept forever), the compacted state, the dead letters. */
  public void createTopics(Topics topics, int partitions) throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(
          new NewTopic(topics.clusterEvents().name(), partitions, (short) 1)
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
          new NewTopic(topics.nodeBandwidth().name(), partitions, (short) 1)
              .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
          new NewTopic(topics.deadLetters().name(), 1, (short) 1))).all().get();
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
