package org.bwledger.ingest.app;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.bwledger.schemas.topic.Topics;

/**
 * Everything ingest needs to run, in one typed place.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topicPrefix prefix of every topic name ({@code bw.})
 * @param kafka further producer properties (TLS, SASL, tuning), applied last
 * @param bandwidthAnnotations the pod annotations carried into the log as raw strings
 * @param namespaces the namespaces whose pods are watched; empty for all
 * @param partitions partitions of the shared topics when ingest has to create them
 * @param bufferedEvents events held unacknowledged at most before the watches wait for Kafka
 * @param httpHost where liveness, readiness and metrics are served
 * @param httpPort the port of liveness, readiness and metrics; 0 picks a free one
 */
public record IngestConfig(
    String bootstrapServers,
    String topicPrefix,
    Map<String, String> kafka,
    Set<String> bandwidthAnnotations,
    List<String> namespaces,
    int partitions,
    int bufferedEvents,
    String httpHost,
    int httpPort) {

  public IngestConfig {
    kafka = Map.copyOf(kafka);
    bandwidthAnnotations = Set.copyOf(bandwidthAnnotations);
    namespaces = List.copyOf(namespaces);
    if (bufferedEvents < 1) {
      throw new IllegalArgumentException("bufferedEvents must be at least 1, not " + bufferedEvents);
    }
  }

  /** The annotation keys the ledger reads by default (DESIGN §1). */
  public static final Set<String> DEFAULT_ANNOTATIONS = Set.of(
      "kubernetes.io/egress-bandwidth", "kubernetes.io/ingress-bandwidth",
      "ovn.kubernetes.io/egress_rate", "ovn.kubernetes.io/ingress_rate");

  public Topics topics() {
    return Topics.withPrefix(topicPrefix);
  }

  /**
   * The producer's properties: idempotent with {@code acks=all}, so retries neither lose nor reorder
   * an object's events, and no delivery deadline, so an outage delays events instead of failing them
   * (the buffer bound, not a timeout, decides when the watches wait).
   */
  public Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "bwledger-ingest");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.putAll(kafka);
    return props;
  }
}
