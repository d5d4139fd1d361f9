package org.bwledger.bwctl.export;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.topic.Topic;

/**
 * {@code bw.cluster-events} read between given offsets as one sequence, as {@code bwctl export} writes
 * it and {@code bwctl audit} folds it. The partitions are merged as they are read, always taking the
 * partition whose next event was observed first, so each partition keeps its own order (and with it
 * each object's, however the clocks that dated them went) and memory stays bounded; a resync chunk,
 * written once per partition, is kept once.
 */
public final class MergedLog {

  /** Events read ahead per partition at most while the others catch up. */
  private static final int QUEUED_PER_PARTITION = 10_000;

  /** A decoded event with where it sat in the log. */
  private record Positioned(long timestamp, int partition, long offset, ClusterEvent event) {}

  /** The merge's order between partitions' next events: observation time, then partition. */
  private static final Comparator<Positioned> EARLIEST =
      Comparator.comparingLong(Positioned::timestamp).thenComparingInt(Positioned::partition);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Topic<String, ClusterEvent> topic;

  /** @param consumer a consumer of raw records, read_committed, that this reader assigns and seeks */
  public MergedLog(KafkaConsumer<byte[], byte[]> consumer, Topic<String, ClusterEvent> topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  /** The topic's partitions. */
  public List<TopicPartition> partitions() {
    return consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  /**
   * Hands {@code events} every event from {@code starts} up to (not including) {@code ends} in merged
   * order, leaving out those observed after {@code to} (none left out when null); a record that
   * cannot be decoded is said on {@code err} and skipped.
   *
   * @param bar stepped once per record read; may be null
   * @return how many records could not be decoded
   */
  public int read(Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, Instant to,
      Consumer<ClusterEvent> events, ProgressBar bar, PrintWriter err) {
    Deserializer<ClusterEvent> decoder = topic.valueSerde().deserializer();
    List<TopicPartition> partitions = List.copyOf(ends.keySet());
    consumer.assign(partitions);
    starts.forEach(consumer::seek);
    Map<TopicPartition, ArrayDeque<Positioned>> queues = new HashMap<>();
    partitions.forEach(p -> queues.put(p, new ArrayDeque<>()));
    Set<TopicPartition> reading = new HashSet<>(partitions);
    reading.removeIf(p -> starts.get(p) >= ends.get(p));
    Set<String> chunksHanded = new HashSet<>();
    int undecodable = 0;
    while (true) {
      if (reading.stream().anyMatch(p -> queues.get(p).isEmpty())) {
        // A partition may still hold an earlier event: read on, keeping the partitions ahead paused.
        consumer.pause(reading.stream().filter(p -> queues.get(p).size() >= QUEUED_PER_PARTITION).toList());
        consumer.resume(reading.stream().filter(p -> queues.get(p).size() < QUEUED_PER_PARTITION).toList());
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= ends.get(partition)) {
            continue;
          }
          if (bar != null) {
            bar.step();
          }
          if (to != null && record.timestamp() > to.toEpochMilli()) {
            continue;
          }
          try {
            queues.get(partition).add(new Positioned(record.timestamp(), record.partition(), record.offset(),
                decoder.deserialize(topic.name(), record.value())));
          } catch (RuntimeException e) {
            undecodable++;
            err.printf("skipped %s-%d@%d: %s%n", record.topic(), record.partition(), record.offset(), e.getMessage());
          }
        }
        reading.removeIf(p -> consumer.position(p) >= ends.get(p));
        continue;
      }
      Positioned next = queues.values().stream().filter(q -> !q.isEmpty()).map(ArrayDeque::peek)
          .min(EARLIEST).orElse(null);
      if (next == null) {
        return undecodable;
      }
      queues.get(new TopicPartition(topic.name(), next.partition())).poll();
      if (next.event().getPayload() instanceof Resync chunk
          && !chunksHanded.add(chunk.getResyncId() + "#" + chunk.getChunkIndex())) {
        continue; // the log has a copy per partition; one is the whole
      }
      events.accept(next.event());
    }
  }
}
