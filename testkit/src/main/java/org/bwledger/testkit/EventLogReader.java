package org.bwledger.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topic;

/** Reads what ingest wrote to {@code bw.cluster-events}, from the beginning, as tests need it. */
public final class EventLogReader implements AutoCloseable {

  private final KafkaConsumer<String, ClusterEvent> consumer;
  private final List<ConsumerRecord<String, ClusterEvent>> records = new ArrayList<>();

  public EventLogReader(String bootstrapServers, Topic<String, ClusterEvent> topic) {
    consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic.name() + "-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    consumer.subscribe(List.of(topic.name()));
  }

  /** Every record read so far, in the order read (per partition, the log's order). */
  public List<ConsumerRecord<String, ClusterEvent>> records() {
    return List.copyOf(records);
  }

  /** Every event read so far, in the order read. */
  public List<ClusterEvent> events() {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  /** Reads until {@code done} holds for all events read so far; returns them. */
  public List<ClusterEvent> readUntil(Predicate<List<ClusterEvent>> done) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      return done.test(events());
    });
    return events();
  }

  /** The payloads of the events of one object (a pod uid, a node name), in log order. */
  public static List<Object> payloadsOf(List<ClusterEvent> events, String key) {
    return events.stream()
        .filter(e -> ClusterEventKey.of(e).equals(key))
        .map(ClusterEvent::getPayload)
        .toList();
  }

  /** The uids of the pods observed so far. */
  public static Set<String> podsObserved(List<ClusterEvent> events) {
    return events.stream().filter(e -> e.getPayload() instanceof PodObserved)
        .map(e -> ((PodObserved) e.getPayload()).getUid())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** How many last chunks of resyncs were read: a resync writes one copy of each chunk per partition. */
  public static long resyncCopies(List<ClusterEvent> events) {
    return events.stream().filter(e -> e.getPayload() instanceof Resync r && r.getLastChunk()).count();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
