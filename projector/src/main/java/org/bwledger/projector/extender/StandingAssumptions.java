package org.bwledger.projector.extender;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binds still standing, read back from the log: every {@link PodAssumed} of the last
 * assume-timeout that has not expired. A replica that takes over deciding holds them, so the binds
 * its predecessor made just before handing over count although no published state shows them yet.
 */
public final class StandingAssumptions {

  /** One bind read back: the pod, where it was bound, and until when it stands without showing up. */
  public record Assumption(PodDemand pod, String node, Instant expiresAt) {}

  private static final Logger log = LoggerFactory.getLogger(StandingAssumptions.class);
  private static final Duration READ_AT_MOST = Duration.ofSeconds(10);

  private final Properties consumerProperties;
  private final Topic<String, ClusterEvent> topic;
  private final PodDemand.Reader reader;
  private final Duration assumeTimeout;

  /**
   * @param kafka the client properties (bootstrap servers, TLS, SASL) of a consumer without a group
   */
  public StandingAssumptions(Properties kafka, Topic<String, ClusterEvent> topic, PodDemand.Reader reader,
      Duration assumeTimeout) {
    this.consumerProperties = new Properties();
    consumerProperties.putAll(kafka);
    consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.topic = topic;
    this.reader = reader;
    this.assumeTimeout = assumeTimeout;
  }

  /**
   * Reads the log from one assume-timeout before {@code now} to its end as it stands now. An
   * assumption is written at its bind's time, so none older can still stand.
   */
  public List<Assumption> read(Instant now) {
    Deserializer<ClusterEvent> decoder = topic.valueSerde().deserializer();
    List<Assumption> standing = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), READ_AT_MOST).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> since = new HashMap<>();
      partitions.forEach(p -> since.put(p, now.minus(assumeTimeout).toEpochMilli()));
      List<TopicPartition> reading = new ArrayList<>();
      consumer.offsetsForTimes(since).forEach((partition, start) -> {
        if (start != null && start.offset() < ends.get(partition)) {
          consumer.seek(partition, start.offset());
          reading.add(partition);
        } else {
          consumer.seek(partition, ends.get(partition)); // nothing of the window here
        }
      });
      Instant deadline = Instant.now().plus(READ_AT_MOST);
      while (!reading.isEmpty() && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() < ends.get(partition)) {
            assumption(decoder, record, now, standing);
          }
        }
        reading.removeIf(p -> consumer.position(p) >= ends.get(p));
      }
      if (!reading.isEmpty()) {
        log.warn("Read the standing binds only in part: {} still unread after {}", reading, READ_AT_MOST);
      }
    }
    return standing;
  }

  private void assumption(Deserializer<ClusterEvent> decoder, ConsumerRecord<byte[], byte[]> record, Instant now,
      List<Assumption> standing) {
    ClusterEvent event;
    try {
      event = decoder.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      return; // not a bind; the ledger dead-letters what cannot be decoded
    }
    if (event.getPayload() instanceof PodAssumed assumed && now.isBefore(assumed.getExpiresAt())) {
      standing.add(new Assumption(reader.read(assumed), assumed.getNodeName(), assumed.getExpiresAt()));
    }
  }
}
