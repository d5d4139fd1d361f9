package org.bwledger.bwctl.run;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft Kafka broker in this JVM (DESIGN §7), keeping its log in a directory that a
 * later run reuses, so the cluster's history survives restarts of {@code bwctl run}.
 */
final class LocalKafka implements AutoCloseable {

  /** One cluster id for every run over the same directory: the log is formatted for it once. */
  private static final String CLUSTER_ID = "bwledger-local-00000A";

  private final KafkaClusterTestKit cluster;

  private LocalKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static LocalKafka start(Path directory) throws Exception {
    Files.createDirectories(directory);
    boolean formatted = Files.exists(directory.resolve("formatted"));
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
            .setClusterId(CLUSTER_ID)
            .setBaseDirectory(directory)
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .build())
        .setDeleteOnClose(false)
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    if (!formatted) {
      // The formatter prints its bootstrap metadata to standard output, which is bwctl's for the node table.
      PrintStream stdout = System.out;
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        cluster.format();
      } finally {
        System.setOut(stdout);
      }
      Files.createFile(directory.resolve("formatted"));
    }
    cluster.startup();
    cluster.waitForReadyBrokers();
    return new LocalKafka(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
