package org.bwledger.ingest.app;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.bwledger.ingest.traffic.TrafficSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;

/**
 * Everything ingest needs to run, in one typed place.
 *
 * @param kafka the Kafka cluster and the shared topics
 * @param annotationKeys the pod annotations that declare bandwidth: carried into the log as raw strings
 * @param namespaces the namespaces whose pods are watched; empty for all
 * @param bufferedEvents events held unacknowledged at most before the watches wait for Kafka
 * @param serving where liveness, readiness and metrics are served
 * @param traffic where nodes' traffic is sampled; null to sample none
 */
public record IngestConfig(
    KafkaSettings kafka,
    AnnotationKeys annotationKeys,
    List<String> namespaces,
    int bufferedEvents,
    ServingSettings serving,
    TrafficSettings traffic) {

  public IngestConfig {
    namespaces = List.copyOf(namespaces);
    if (bufferedEvents < 1) {
      throw new IllegalArgumentException("bufferedEvents must be at least 1, not " + bufferedEvents);
    }
  }

  /** A local broker, the ledger's default keys, every namespace, 100,000 events held, metrics on 8081, probes on 8181. */
  public static IngestConfig defaults() {
    return new IngestConfig(KafkaSettings.defaults(), AnnotationKeys.DEFAULT, List.of(), 100_000,
        ServingSettings.everywhere(8081, 8181), null);
  }

  public IngestConfig withKafka(KafkaSettings kafka) {
    return new IngestConfig(kafka, annotationKeys, namespaces, bufferedEvents, serving, traffic);
  }

  public IngestConfig withAnnotationKeys(AnnotationKeys annotationKeys) {
    return new IngestConfig(kafka, annotationKeys, namespaces, bufferedEvents, serving, traffic);
  }

  public IngestConfig withBufferedEvents(int bufferedEvents) {
    return new IngestConfig(kafka, annotationKeys, namespaces, bufferedEvents, serving, traffic);
  }

  public IngestConfig withServing(ServingSettings serving) {
    return new IngestConfig(kafka, annotationKeys, namespaces, bufferedEvents, serving, traffic);
  }

  public IngestConfig withTraffic(TrafficSettings traffic) {
    return new IngestConfig(kafka, annotationKeys, namespaces, bufferedEvents, serving, traffic);
  }

  /** The annotation keys carried into the log, unparsed. */
  public Set<String> bandwidthAnnotations() {
    return annotationKeys.all().map(AnnotationKey::name).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The producer's properties: idempotent with {@code acks=all}, so retries neither lose nor reorder
   * an object's events, and no delivery deadline, so an outage delays events instead of failing them
   * (the buffer bound, not a timeout, decides when the watches wait).
   */
  public Properties producerProperties() {
    return kafka.clientProperties(Map.of(
        ProducerConfig.CLIENT_ID_CONFIG, "bwledger-ingest",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE,
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
  }
}
