package org.bwledger.projector.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.schemas.topic.Topics;

/**
 * Everything the projector needs to run, in one typed place.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topicPrefix prefix of every topic name ({@code bw.})
 * @param applicationId the Kafka Streams application id; unique per instance, so each holds every node
 * @param stateDir where the stores live; kept across restarts
 * @param partitions partitions of the shared topics when the projector has to create them
 * @param historyRetention how far back {@code ?at=} and history reach
 * @param statusWritesPerSecond the bound on Bandwidth status writes to the API
 * @param leaseNamespace where the replicas elect, with a Lease, the one that writes status
 * @param httpHost where the REST API listens
 * @param httpPort the REST API's port; 0 picks a free one
 * @param scheduling how the scheduler extender reads pods, ranks nodes and holds binds, and what is
 *     written on nodes
 * @param kafka further client or Streams properties (TLS, SASL, tuning), applied last
 */
public record ProjectorConfig(
    String bootstrapServers,
    String topicPrefix,
    String applicationId,
    Path stateDir,
    int partitions,
    Duration historyRetention,
    double statusWritesPerSecond,
    String leaseNamespace,
    String httpHost,
    int httpPort,
    SchedulingSettings scheduling,
    Map<String, String> kafka) {

  public ProjectorConfig {
    kafka = Map.copyOf(kafka);
  }

  /** The Lease the replicas of one deployment share: named after its topics, so deployments stay apart. */
  public String leaseName() {
    return topicPrefix.replaceAll("[^a-z0-9.-]", "-") + "projector-status";
  }

  public Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  /** The properties of the producer that records the extender's binds: idempotent, {@code acks=all}. */
  public Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-extender");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // A bind must answer within the scheduler's extender timeout (5 s) even when Kafka is away.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    props.putAll(kafka);
    return props;
  }

  /** The properties of the consumer that reads back the binds standing when this replica starts deciding. */
  public Properties consumerProperties() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-takeover");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putAll(kafka);
    return props;
  }

  /**
   * The Kafka Streams properties: at-least-once is enough (status writes and stores are idempotent),
   * commits every second so readiness follows closely, and the log read from its start.
   */
  public Properties streamsProperties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.putAll(kafka);
    return props;
  }
}
