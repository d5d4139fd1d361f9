package org.bwledger.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Time;
import org.bwledger.testkit.TestCertificates.Issued;
import org.bwledger.testkit.TestCertificates.KeyForm;

/**
 * A KRaft broker in this JVM secured as a shared cluster's would be: clients connect over SASL_SSL
 * and authenticate with SCRAM-SHA-512, and the StandardAuthorizer lets a principal do only what an
 * ACL allows. {@code admin} is the super user that creates users and ACLs; it authenticates with
 * PLAIN, which the broker also uses to talk to itself. The controller's listener is plaintext on
 * loopback, its principal a super user, as a single-node test broker's may be.
 */
public final class SecuredKafka implements AutoCloseable {

  private static final String ADMIN = "admin";
  private static final String ADMIN_PASSWORD = "admin-secret";
  private static final String CLUSTER_ID = "bwledger-secured-000A";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path truststore;

  private SecuredKafka(KafkaRaftServer server, String bootstrapServers, Path truststore) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.truststore = truststore;
  }

  /** Starts the broker, its certificates and log under {@code directory}; returns once the admin is answered. */
  public static SecuredKafka start(Path directory) throws Exception {
    TestCertificates ca = TestCertificates.authority("kafka-ca", directory);
    Issued broker = ca.issue("broker", List.of("localhost"), List.of("127.0.0.1"), KeyForm.EC_PKCS8);
    Path keystore = Files.writeString(directory.resolve("broker.pem"),
        Files.readString(broker.privateKey()) + Files.readString(broker.certificate()));
    int brokerPort = freePort();
    int controllerPort = freePort();
    Properties config = new Properties();
    config.putAll(Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry("listeners", "SECURE://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "SECURE://127.0.0.1:" + brokerPort),
        Map.entry("listener.security.protocol.map", "SECURE:SASL_SSL,CONTROLLER:PLAINTEXT"),
        Map.entry("inter.broker.listener.name", "SECURE"),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("log.dirs", directory.resolve("log").toString()),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN"),
        Map.entry("sasl.mechanism.inter.broker.protocol", "PLAIN"),
        Map.entry("listener.name.secure.plain.sasl.jaas.config", plainLogin() + " user_" + ADMIN + "=\""
            + ADMIN_PASSWORD + "\";"),
        Map.entry("listener.name.secure.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
        Map.entry("ssl.keystore.type", "PEM"),
        Map.entry("ssl.keystore.location", keystore.toString()),
        Map.entry("ssl.truststore.type", "PEM"),
        Map.entry("ssl.truststore.location", ca.caFile().toString()),
        Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        Map.entry("super.users", "User:" + ADMIN + ";User:ANONYMOUS")));
    Path file = directory.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      config.store(out, null);
    }
    int formatted = StorageTool.execute(new String[] {"format", "--cluster-id", CLUSTER_ID, "--config",
        file.toString()}, new PrintStream(OutputStream.nullOutputStream()));
    if (formatted != 0) {
      throw new IllegalStateException("formatting the secured broker's log failed (exit " + formatted + ")");
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
    server.startup();
    SecuredKafka kafka = new SecuredKafka(server, "127.0.0.1:" + brokerPort, ca.caFile());
    try (Admin admin = kafka.admin()) {
      admin.describeCluster().nodes().get();
    }
    return kafka;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * What a client of {@code user} sets, as a mounted properties file would hold it: SASL_SSL,
   * SCRAM-SHA-512, and the broker's CA.
   */
  public Map<String, String> clientProperties(String user, String password) {
    return Map.of(
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
        SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512",
        SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user + "\" password=\"" + password + "\";",
        SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
  }

  /** An admin client of the super user. */
  public Admin admin() {
    return Admin.create(Map.<String, Object>of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL",
        SaslConfigs.SASL_MECHANISM, "PLAIN",
        SaslConfigs.SASL_JAAS_CONFIG, plainLogin() + ";",
        SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
        SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString()));
  }

  /** Makes {@code user} a SCRAM-SHA-512 user with {@code password}. */
  public void addUser(String user, String password) throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
    }
  }

  /** Lets {@code user} do {@code operations} on the resources {@code name} names (literally or as a prefix). */
  public void allow(String user, ResourceType type, String name, PatternType pattern, AclOperation... operations)
      throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      admin.createAcls(Arrays.stream(operations).map(operation -> new AclBinding(
          new ResourcePattern(type, name, pattern),
          new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW))).toList()).all().get();
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static String plainLogin() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\""
        + ADMIN_PASSWORD + "\"";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
