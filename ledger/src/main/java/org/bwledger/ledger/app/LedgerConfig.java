package org.bwledger.ledger.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.topic.Topics;

/**
 * Everything the live ledger needs to run, in one typed place.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topicPrefix prefix of every topic name ({@code bw.})
 * @param applicationId the Kafka Streams application id: consumer group and internal topic prefix
 * @param stateDir where the state stores live; kept across restarts so a restart does not replay the log
 * @param rules the accounting rules' settings
 * @param emitInterval how often a changed node's state is published, at most
 * @param partitions partitions of the shared topics when the ledger creates them
 * @param kafka further client properties (TLS, SASL, tuning), applied last
 */
public record LedgerConfig(
    String bootstrapServers,
    String topicPrefix,
    String applicationId,
    Path stateDir,
    LedgerRules rules,
    Duration emitInterval,
    int partitions,
    Map<String, String> kafka) {

  public LedgerConfig {
    kafka = Map.copyOf(kafka);
  }

  /** Publish changed nodes every second: fresh enough for status and REST, cheap under churn. */
  public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(1);

  public Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  /**
   * The Kafka Streams properties: exactly-once, and records that cannot be decoded go to the
   * dead-letter topic (with the reason in their headers) while processing continues.
   */
  public Properties streamsProperties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics().deadLetters().name());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.putAll(kafka);
    return props;
  }
}
