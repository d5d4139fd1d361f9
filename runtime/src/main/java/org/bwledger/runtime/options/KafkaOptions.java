package org.bwledger.runtime.options;

import java.util.Map;
import java.util.TreeMap;
import org.bwledger.runtime.kafka.KafkaSettings;
import picocli.CommandLine.Option;

/**
 * Where the shared topics are, as every bwledger process is told it: the same flags and the same
 * {@code BW_…} variables for ingest, the ledger, the projector and bwctl's commands.
 */
public final class KafkaOptions {

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = "${env:BW_BOOTSTRAP_SERVERS}",
      description = "Kafka bootstrap servers (env BW_BOOTSTRAP_SERVERS, default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:BW_TOPIC_PREFIX}",
      description = "Prefix of the shared topics' names (env BW_TOPIC_PREFIX, default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:BW_PARTITIONS}",
      description = "Partitions of the shared topics when they have to be created "
          + "(env BW_PARTITIONS, default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--kafka", paramLabel = "KEY=VALUE", split = ",",
      defaultValue = "${env:BW_KAFKA_PROPERTIES}",
      description = "Further Kafka client properties, e.g. security.protocol=SASL_SSL "
          + "(env BW_KAFKA_PROPERTIES, comma-separated).")
  Map<String, String> properties = new TreeMap<>();

  /** The defaults of these options, from {@code defaults}. */
  public static Map<String, String> defaults(KafkaSettings defaults) {
    return Map.of(
        "--bootstrap-servers", defaults.bootstrapServers(),
        "--topic-prefix", defaults.topicPrefix(),
        "--partitions", String.valueOf(defaults.partitions()));
  }

  /** The settings these options give. */
  public KafkaSettings settings() {
    return new KafkaSettings(bootstrapServers, topicPrefix, partitions, properties);
  }
}
