package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.projector.app.ProjectorConfig;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.SecuredKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The three components against a broker that authenticates every client (SASL_SSL, SCRAM-SHA-512)
 * and authorises every request (ACLs): each runs under a principal of its own, with exactly the ACLs
 * the README lists for it, and the books balance; a component given another's principal is refused.
 * No password reaches a log line or {@code /metrics}.
 */
class KafkaAclTest {

  private static final String PREFIX = "acl.";
  private static final Topics TOPICS = Topics.withPrefix(PREFIX);
  private static final String LEDGER_ID = PREFIX + "ledger";
  private static final String PROJECTOR_ID = PREFIX + "projector";

  @TempDir
  Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(running);
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void eachComponentWorksWithItsOwnPrincipalAndIsRefusedWithAnothers() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    SecuredKafka kafka = started(SecuredKafka.start(dir.resolve("kafka")));
    try (Admin admin = kafka.admin()) {
      TOPICS.createMissing(admin, 2);
    }
    for (String user : List.of("ingest", "ledger", "projector")) {
      kafka.addUser(user, user + "-pw-Zq8");
      // Every component lists the shared topics at start, to create what is missing.
      kafka.allow(user, ResourceType.TOPIC, PREFIX, PatternType.PREFIXED, AclOperation.DESCRIBE);
    }
    grantAsTheReadmeSays(kafka);
    MockCluster cluster = started(new MockCluster());

    IngestService ingest = startIngest(kafka, cluster, "ingest", 10_000);
    LedgerService ledger = started(new LedgerService(Pipeline.ledgerConfig(settings(kafka, "ledger"),
        dir.resolve("ledger")), Guard.NONE));
    ledger.start();
    ProjectorService projector = startProjector(kafka, cluster, "projector", "a");
    await().atMost(Duration.ofSeconds(90)).until(() -> ingest.health().ready() && projector.health().ready());

    cluster.createNode("n1", Map.of());
    cluster.createPod("lab", "iperf", "n1", null, Map.of("kubernetes.io/egress-bandwidth", "100M"));
    await().atMost(Duration.ofSeconds(90)).until(() -> usedNetworkUplink(cluster, "n1") == 100);

    // The ledger's principal cannot read the log as ingest's...
    LedgerService impostor = started(new LedgerService(Pipeline.ledgerConfig(settings(kafka, "ingest"),
        dir.resolve("impostor")), Guard.NONE));
    impostor.start();
    assertThat(impostor.stoppedForGood().toCompletableFuture().get(90, TimeUnit.SECONDS))
        .contains("Kafka refused this principal", "docs/security.md");
    // ...the projector's states are not the ledger's to read...
    ProjectorService wrongProjector = startProjector(kafka, cluster, "ledger", "b");
    await().atMost(Duration.ofSeconds(90)).until(() -> !wrongProjector.health().live());
    // ...and the ledger may not append to the log, as ingest does.
    MockCluster another = started(new MockCluster());
    IngestService wrongIngest = startIngest(kafka, another, "ledger", 3);
    for (int i = 0; i < 10; i++) {
      another.createPod("lab", "more-" + i, "n1", null, Map.of("kubernetes.io/egress-bandwidth", "1M"));
    }
    await().atMost(Duration.ofSeconds(90))
        .until(() -> wrongIngest.health().reason().startsWith("Kafka refuses events for good"));

    // The projector may see how far the ledger is, and sees it has read everything.
    await().atMost(Duration.ofSeconds(60)).until(() -> metrics(projector)
        .contains("bwledger_projector_ledger_lag_records 0.0"));
    String metrics = metrics(projector);
    for (String user : List.of("ingest", "ledger", "projector")) {
      assertThat(metrics).doesNotContain(user + "-pw-Zq8");
      assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(user + "-pw-Zq8"));
    }
  }

  private static String metrics(ProjectorService projector) throws Exception {
    return Scrape.of(projector.listeners().apiPort()).exposition();
  }

  /** The ACLs of each component, as the README's table has them. */
  private static void grantAsTheReadmeSays(SecuredKafka kafka) throws Exception {
    kafka.allow("ingest", ResourceType.TOPIC, TOPICS.clusterEvents().name(), PatternType.LITERAL, AclOperation.WRITE);

    kafka.allow("ledger", ResourceType.TOPIC, TOPICS.clusterEvents().name(), PatternType.LITERAL, AclOperation.READ);
    kafka.allow("ledger", ResourceType.TOPIC, TOPICS.nodeBandwidth().name(), PatternType.LITERAL, AclOperation.WRITE);
    kafka.allow("ledger", ResourceType.TOPIC, TOPICS.deadLetters().name(), PatternType.LITERAL, AclOperation.WRITE);
    kafka.allow("ledger", ResourceType.GROUP, LEDGER_ID, PatternType.LITERAL, AclOperation.READ);
    kafka.allow("ledger", ResourceType.TOPIC, LEDGER_ID + "-", PatternType.PREFIXED, AclOperation.ALL);
    kafka.allow("ledger", ResourceType.TRANSACTIONAL_ID, LEDGER_ID + "-", PatternType.PREFIXED,
        AclOperation.WRITE, AclOperation.DESCRIBE);

    kafka.allow("projector", ResourceType.TOPIC, TOPICS.nodeBandwidth().name(), PatternType.LITERAL,
        AclOperation.READ);
    kafka.allow("projector", ResourceType.TOPIC, TOPICS.clusterEvents().name(), PatternType.LITERAL,
        AclOperation.READ, AclOperation.WRITE);
    kafka.allow("projector", ResourceType.GROUP, PROJECTOR_ID, PatternType.PREFIXED, AclOperation.READ,
        AclOperation.DESCRIBE);
    kafka.allow("projector", ResourceType.TOPIC, PROJECTOR_ID, PatternType.PREFIXED, AclOperation.ALL);
    kafka.allow("projector", ResourceType.TRANSACTIONAL_ID, PROJECTOR_ID, PatternType.PREFIXED,
        AclOperation.WRITE, AclOperation.DESCRIBE);
    kafka.allow("projector", ResourceType.GROUP, LEDGER_ID, PatternType.LITERAL, AclOperation.DESCRIBE);
  }

  private IngestService startIngest(SecuredKafka kafka, MockCluster cluster, String user, int buffered)
      throws Exception {
    KubernetesClient client = started(cluster.newClient());
    IngestService ingest = started(new IngestService(Pipeline.ingestConfig(settings(kafka, user))
        .withBufferedEvents(buffered), client, Guard.NONE, Clock.systemUTC()));
    ingest.start();
    return ingest;
  }

  private ProjectorService startProjector(SecuredKafka kafka, MockCluster cluster, String user, String replica)
      throws Exception {
    KubernetesClient client = started(cluster.newClient());
    ProjectorService projector = started(new ProjectorService(TestProjectors.config(settings(kafka, user),
        PROJECTOR_ID + "-" + replica, dir.resolve("projector-" + replica), 50, SchedulingSettings.DEFAULT)
        .withStaleness(new ProjectorConfig.Staleness(LEDGER_ID, Duration.ofMinutes(2))), client,
        Guard.NONE, Clock.systemUTC()));
    projector.start();
    return projector;
  }

  /** How a component reaches the broker as {@code user}: its password, in a properties file it would read. */
  private static KafkaSettings settings(SecuredKafka kafka, String user) {
    return new KafkaSettings(kafka.bootstrapServers(), PREFIX, 2, kafka.clientProperties(user, user + "-pw-Zq8"));
  }

  private static long usedNetworkUplink(MockCluster cluster, String node) {
    GenericKubernetesResource object = cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT)
        .withName(node).get();
    if (object == null || !(object.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
      return -1;
    }
    return ((Number) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) status.get("used")).get("network"))).get("ulMbps"))
        .longValue();
  }

  private <T extends AutoCloseable> T started(T closeable) {
    running.add(closeable);
    return closeable;
  }
}
