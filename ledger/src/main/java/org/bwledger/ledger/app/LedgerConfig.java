package org.bwledger.ledger.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;

/**
 * Everything the live ledger needs to run, in one typed place.
 *
 * @param kafka the Kafka cluster and the shared topics
 * @param applicationId the Kafka Streams application id: consumer group and internal topic prefix
 * @param instanceId this replica's name, stable across its restarts (a StatefulSet pod's): its static
 *     membership of the group, so a replica that restarts takes its partitions back at once instead
 *     of after the dead one's session expires; null for a dynamic member
 * @param stateDir where the state stores live; kept across restarts so a restart does not replay the log
 * @param rules the accounting rules' settings
 * @param emitInterval how often a busy node's state is published, at most; a quiet node's is at once
 * @param serving where the probes and metrics are served
 */
public record LedgerConfig(
    KafkaSettings kafka,
    String applicationId,
    String instanceId,
    Path stateDir,
    LedgerRules rules,
    Duration emitInterval,
    ServingSettings serving) {

  /**
   * A local broker, the existing operator's rules, state under {@code bwledger-state/ledger}, a busy
   * node published at most every 250 ms, metrics on 8082, probes on 8182, a dynamic member of its group.
   *
   * <p>The emit interval from {@code ProjectorBenchmark}'s status section (600 pods at 20/s on 20
   * nodes), when every node waited for its interval's end: the ledger's output was readable a median
   * 1.2 s after the event at 1 s, 0.6 s at 250 ms, 0.5 s at 100 ms, with no fold throughput lost in
   * {@code FoldBenchmark}. Below 250 ms the gain is small, while progress words (twenty an interval)
   * and history versions (one an interval for a node that keeps changing) grow. A quiet node now
   * goes out at once, so the interval bounds only how often a busy one is written.
   */
  public static LedgerConfig defaults() {
    return new LedgerConfig(KafkaSettings.defaults(), "bwledger-ledger", null, Path.of("bwledger-state", "ledger"),
        LedgerRules.DEFAULT, Duration.ofMillis(250), ServingSettings.everywhere(8082, 8182));
  }

  public LedgerConfig withKafka(KafkaSettings kafka) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  public LedgerConfig withApplicationId(String applicationId) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  public LedgerConfig withInstanceId(String instanceId) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  public LedgerConfig withStateDir(Path stateDir) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  public LedgerConfig withRules(LedgerRules rules) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  public LedgerConfig withEmitInterval(Duration emitInterval) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  public LedgerConfig withServing(ServingSettings serving) {
    return new LedgerConfig(kafka, applicationId, instanceId, stateDir, rules, emitInterval, serving);
  }

  /**
   * The Kafka Streams properties: exactly-once, committing every 30 ms; records that cannot be
   * decoded or applied go to the dead-letter topic (with the reason in their headers) while
   * processing continues; a static member of the group when this replica has a name. Any of them
   * can be overridden by the Kafka properties given.
   */
  public Properties streamsProperties() {
    Properties properties = kafka.clientProperties(Map.of(
        StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
        StreamsConfig.STATE_DIR_CONFIG, stateDir.toString(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName(),
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, kafka.topics().deadLetters().name(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true,
        // A record stamped before 1970 takes the partition's time; its event's own time is checked in the fold.
        StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class.getName(),
        StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true));
    // A replica gone for good hands its partitions on after 15 s rather than Kafka's 45.
    properties.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
    // A change crosses three commits (two hops between stages, then the output), each waiting half an
    // interval on average: 30 ms rather than 50 took the status median from 0.45 s to 0.37 s
    // (ProjectorBenchmark) for at most 8 % of the fold's throughput (FoldBenchmark, within run-to-run noise).
    properties.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 30);
    if (instanceId != null && !instanceId.isBlank()) {
      properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return properties;
  }
}
