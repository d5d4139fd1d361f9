package org.bwledger.runtime.kafka;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.bwledger.schemas.topic.Topics;

/**
 * Where the shared topics are and how every client of a process reaches them.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topicPrefix prefix of every topic name ({@code bw.})
 * @param partitions partitions of the shared topics when a process has to create them
 * @param properties further client properties (TLS, SASL, tuning), applied over every client's own
 */
public record KafkaSettings(String bootstrapServers, String topicPrefix, int partitions,
    Map<String, String> properties) {

  public KafkaSettings {
    properties = Map.copyOf(properties);
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
  }

  /** A broker on this machine, the {@code bw.} topics, six partitions. */
  public static KafkaSettings defaults() {
    return new KafkaSettings("localhost:9092", Topics.DEFAULT_PREFIX, 6, Map.of());
  }

  public KafkaSettings withBootstrapServers(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, topicPrefix, partitions, properties);
  }

  public KafkaSettings withTopicPrefix(String topicPrefix) {
    return new KafkaSettings(bootstrapServers, topicPrefix, partitions, properties);
  }

  public KafkaSettings withPartitions(int partitions) {
    return new KafkaSettings(bootstrapServers, topicPrefix, partitions, properties);
  }

  public KafkaSettings withProperties(Map<String, String> properties) {
    return new KafkaSettings(bootstrapServers, topicPrefix, partitions, properties);
  }

  /** The shared topics under this prefix. */
  public Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  /**
   * A client's properties: the bootstrap servers, then the client's own settings, then the further
   * properties over both, so an operator can tune or secure every client.
   */
  public Properties clientProperties(Map<String, ?> clientSettings) {
    Properties props = new Properties();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putAll(clientSettings);
    props.putAll(properties);
    return props;
  }
}
