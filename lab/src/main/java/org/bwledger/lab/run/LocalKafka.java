package org.bwledger.lab.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka in this JVM, run by Kafka's own server ({@link KafkaRaftServer}) from a
 * configuration written to {@code server.properties} in its directory, the log formatted by Kafka's
 * storage tool on first use, as {@code kafka-storage.sh format} would. It listens on 127.0.0.1 only,
 * and keeps its log in the directory, which a later run reuses, so the cluster's history survives
 * restarts of {@code bwctl run}.
 */
final class LocalKafka implements AutoCloseable {

  /** One cluster id for every run over the same directory: the log is formatted for it once. */
  private static final String CLUSTER_ID = "bwledger-local-00000A";
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private LocalKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts the broker over {@code directory}, formatting its log if this is the first run; returns once it answers. */
  static LocalKafka start(Path directory) throws Exception {
    Files.createDirectories(directory);
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties config = config(directory.resolve("log"), brokerPort, controllerPort);
    Path file = directory.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      config.store(out, "bwctl run's broker; written anew by every run (the ports change)");
    }
    format(file);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
    server.startup();
    LocalKafka kafka = new LocalKafka(server, "127.0.0.1:" + brokerPort);
    kafka.awaitReady();
    return kafka;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** A combined broker and controller, reachable from this machine only, with single-node replication. */
  private static Properties config(Path log, int brokerPort, int controllerPort) {
    Properties config = new Properties();
    config.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", log.toAbsolutePath().toString()),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // After a kill the broker registers anew only once its last registration's session expired:
        // a short one (9 s by default) for a broker that has no peers to keep it alive for.
        Map.entry("broker.heartbeat.interval.ms", "500"),
        Map.entry("broker.session.timeout.ms", "2000")));
    return config;
  }

  /** Formats the log as {@code kafka-storage.sh format} does; a log formatted before is left as it is. */
  private static void format(Path config) {
    // The tool prints what it did to standard output, which is bwctl's for the node table.
    int exit = StorageTool.execute(new String[] {"format", "--cluster-id", CLUSTER_ID, "--config", config.toString(),
        "--ignore-formatted"}, new PrintStream(OutputStream.nullOutputStream()));
    if (exit != 0) {
      throw new IllegalStateException("formatting Kafka's log under " + config.getParent() + " failed (exit " + exit
          + "); bwctl run --fresh starts over");
    }
  }

  private void awaitReady() throws InterruptedException {
    Instant deadline = Instant.now().plus(READY_WITHIN);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("Kafka in this JVM did not answer within " + READY_WITHIN, e);
          }
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
