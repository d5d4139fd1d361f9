package org.bwledger.runtime.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
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

  @Option(names = "--kafka-properties-file", paramLabel = "FILE", defaultValue = "${env:BW_KAFKA_PROPERTIES_FILE}",
      description = "Further Kafka client properties, one key=value a line, as a mounted Secret holds them: TLS, "
          + "SASL, tuning; values may hold commas (env BW_KAFKA_PROPERTIES_FILE).")
  Path propertiesFile;

  @Option(names = "--kafka", paramLabel = "KEY=VALUE", split = ",",
      defaultValue = "${env:BW_KAFKA_PROPERTIES}",
      description = "Further Kafka client properties over those of the file, e.g. linger.ms=20 "
          + "(env BW_KAFKA_PROPERTIES, comma-separated).")
  Map<String, String> properties = new TreeMap<>();

  /** The defaults of these options, from {@code defaults}. */
  public static Map<String, String> defaults(KafkaSettings defaults) {
    return Map.of(
        "--bootstrap-servers", defaults.bootstrapServers(),
        "--topic-prefix", defaults.topicPrefix(),
        "--partitions", String.valueOf(defaults.partitions()));
  }

  /**
   * The settings these options give.
   *
   * @throws IllegalArgumentException when the properties file cannot be read
   */
  public KafkaSettings settings() {
    Map<String, String> all = new TreeMap<>();
    if (propertiesFile != null) {
      Properties file = new Properties();
      try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --kafka-properties-file " + propertiesFile + ": " + e);
      }
      file.stringPropertyNames().forEach(key -> all.put(key, file.getProperty(key)));
    }
    all.putAll(properties);
    return new KafkaSettings(bootstrapServers, topicPrefix, partitions, all);
  }
}
