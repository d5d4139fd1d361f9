package org.bwledger.schemas.topic;

import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Where the shared topics are, as every bwledger process is told it: the same flags and the same
 * {@code BW_…} variables for ingest, the ledger and the projector.
 */
public final class KafkaOptions {

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
      defaultValue = "${env:BW_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka bootstrap servers (env BW_BOOTSTRAP_SERVERS, default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:BW_TOPIC_PREFIX:-bw.}",
      description = "Prefix of the shared topics' names (env BW_TOPIC_PREFIX, default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:BW_PARTITIONS:-6}",
      description = "Partitions of the shared topics when they have to be created "
          + "(env BW_PARTITIONS, default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--kafka", paramLabel = "KEY=VALUE", split = ",",
      defaultValue = "${env:BW_KAFKA_PROPERTIES}",
      description = "Further Kafka client properties, e.g. security.protocol=SASL_SSL "
          + "(env BW_KAFKA_PROPERTIES, comma-separated).")
  Map<String, String> properties = new TreeMap<>();

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String topicPrefix() {
    return topicPrefix;
  }

  /** The shared topics under this prefix. */
  public Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  public int partitions() {
    return partitions;
  }

  /** Client properties applied last (TLS, SASL, tuning). */
  public Map<String, String> properties() {
    return Map.copyOf(properties);
  }
}
