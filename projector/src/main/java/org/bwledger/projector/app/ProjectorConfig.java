package org.bwledger.projector.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.topic.Topics;

/**
 * Everything the projector needs to run, in one typed place.
 *
 * @param kafka the Kafka cluster and the shared topics
 * @param applicationId the Kafka Streams application id; unique per instance, so each holds every node
 * @param stateDir where the stores live; kept across restarts
 * @param historyRetention how far back {@code ?at=} and history reach
 * @param statusWritesPerSecond the bound on Bandwidth status writes to the API
 * @param leaseNamespace where the replicas elect, with a Lease, the one that writes status
 * @param serving where the REST API with the metrics, and apart the probes, are served
 * @param extender where the scheduler extender is served, with mutual TLS beyond this machine; null
 *     for no extender
 * @param admission where the admission webhooks are served, always with TLS (the API server calls
 *     nothing else); null for none
 * @param advertiseHost how other replicas reach this one's extender: a name its certificate holds;
 *     null for the address it listens on (or its host's, when it listens on all)
 * @param scheduling how the scheduler extender reads pods, ranks nodes and holds binds, and what is
 *     written on nodes
 * @param staleness when the projector calls its books stale: the ledger it follows, and how long it may
 *     stand still with events waiting
 */
public record ProjectorConfig(
    KafkaSettings kafka,
    String applicationId,
    Path stateDir,
    Duration historyRetention,
    double statusWritesPerSecond,
    String leaseNamespace,
    ServingSettings serving,
    HttpSettings extender,
    HttpSettings admission,
    String advertiseHost,
    SchedulingSettings scheduling,
    Staleness staleness) {

  public ProjectorConfig {
    if (admission != null && admission.tls() == null) {
      throw new IllegalArgumentException("the admission webhooks need TLS: the API server calls them over HTTPS only "
          + "(--tls-cert-file, --tls-key-file)");
    }
  }

  /**
   * @param ledgerApplicationId the ledger's Kafka Streams application id: the group whose offsets on
   *     {@code bw.cluster-events} tell whether it moves
   * @param after how long the ledger may stand still while events wait before the projector is not ready
   */
  public record Staleness(String ledgerApplicationId, Duration after) {
    /** The ledger's default application id; two minutes. */
    public static final Staleness DEFAULT =
        new Staleness(LedgerConfig.defaults().applicationId(), Duration.ofMinutes(2));
  }

  /** The prefix of every projector's application id; the instance's name follows it. */
  public static final String APPLICATION_ID_PREFIX = "bwledger-projector-";

  /**
   * A local broker, state under {@code bwledger-state/projector}, a week of history, 50 status writes
   * a second, the Lease in {@code default}, the API on 8080, probes on 8180, no extender and no
   * admission webhooks, the default scheduling settings, stale after the default ledger stood still
   * for two minutes.
   *
   * <p>50 writes a second: at 20 (kube-controller-manager's own bound), 20 pods a second spread over
   * 20 nodes already kept the writer busy, and a status waited about 0.5 s on the ones before it
   * (median; {@code ProjectorBenchmark}'s status section). At 50 it waits 0.02–0.03 s, and a cluster
   * whose nodes change faster still gets each node's latest state, coalesced.
   */
  public static ProjectorConfig defaults() {
    return new ProjectorConfig(KafkaSettings.defaults(), APPLICATION_ID_PREFIX + "local",
        Path.of("bwledger-state", "projector"), Topics.STATES_KEPT_WHOLE, 50, "default", ServingSettings.everywhere(8080, 8180),
        null, null, null, SchedulingSettings.DEFAULT, Staleness.DEFAULT);
  }

  public ProjectorConfig withKafka(KafkaSettings kafka) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withApplicationId(String applicationId) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withStateDir(Path stateDir) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withHistoryRetention(Duration historyRetention) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withStatusWritesPerSecond(double statusWritesPerSecond) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withServing(ServingSettings serving) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withExtender(HttpSettings extender) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  /** Serves the admission webhooks at {@code admission}, which must have TLS; null serves none. */
  public ProjectorConfig withAdmission(HttpSettings admission) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withScheduling(SchedulingSettings scheduling) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  public ProjectorConfig withStaleness(Staleness staleness) {
    return new ProjectorConfig(kafka, applicationId, stateDir, historyRetention, statusWritesPerSecond,
        leaseNamespace, serving, extender, admission, advertiseHost, scheduling, staleness);
  }

  /** The Lease the replicas of one deployment share: named after its topics, so deployments stay apart. */
  public String leaseName() {
    return kafka.topicPrefix().replaceAll("[^a-z0-9.-]", "-") + "projector-status";
  }

  /** The properties of the producer that records the extender's binds: idempotent, {@code acks=all}. */
  public Properties producerProperties() {
    return kafka.clientProperties(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-extender",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 0,
        // A bind must answer within the scheduler's extender timeout (5 s) even when Kafka is away.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000));
  }

  /** The properties of the consumer that reads back the binds standing when this replica starts deciding. */
  public Properties consumerProperties() {
    return kafka.clientProperties(Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-takeover",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
  }

  /**
   * The Kafka Streams properties: exactly-once, commits every second so readiness follows closely,
   * and the log read from its start. Exactly-once reads only the states the ledger committed, and
   * after a kill it rebuilds the stores from their changelogs rather than reopening stores that ran
   * ahead of the committed offsets (a versioned store written past them, then fed the same states
   * again, has to repair its history on the fly). The group is this replica's alone, and it is a
   * static member of it: restarted, even after a kill, it takes its partitions back at once rather
   * than after the dead member's session expires.
   */
  public Properties streamsProperties() {
    Properties properties = kafka.clientProperties(Map.of(
        StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000,
        StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true,
        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest"));
    properties.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, applicationId);
    return properties;
  }
}
