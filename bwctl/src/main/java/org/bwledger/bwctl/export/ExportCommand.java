package org.bwledger.bwctl.export;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.options.ConfigDefaults;
import org.bwledger.runtime.options.KafkaOptions;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.topic.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl export}: a time window of {@code bw.cluster-events} to an Avro container file that
 * {@code bwctl replay} reads. The partitions are merged as they are read, always taking the partition
 * whose next event was observed first, so each partition keeps its own order (and with it each
 * object's, however the clocks that dated them went) and memory stays bounded; a resync chunk,
 * written once per partition, is kept once.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    defaultValueProvider = ExportCommand.Defaults.class,
    description = "Copies the cluster events observed in a time window from Kafka to an Avro file (with its "
        + "schema), for bwctl replay on any machine.")
public final class ExportCommand implements Callable<Integer> {

  /** The shared topics where every process finds them by default. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(KafkaOptions.defaults(KafkaSettings.defaults()));
    }
  }

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The Avro file to write.")
  Path output;

  @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
      description = "First observation time to export, ISO-8601 (default: the log's start).")
  Instant from;

  @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Last observation time to export, ISO-8601 (default: what the log holds now).")
  Instant to;

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show a progress bar on standard error for more than 100,000 records (default: on).")
  boolean progress;

  private static final long PROGRESS_THRESHOLD = 100_000;

  /** Events read ahead per partition at most while the others catch up. */
  private static final int QUEUED_PER_PARTITION = 10_000;

  /** A decoded event with where it sat in the log. */
  private record Positioned(long timestamp, int partition, long offset, ClusterEvent event) {}

  /** The merge's order between partitions' next events: observation time, then partition. */
  private static final Comparator<Positioned> EARLIEST =
      Comparator.comparingLong(Positioned::timestamp).thenComparingInt(Positioned::partition);

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Topic<String, ClusterEvent> topic = kafka.settings().topics().clusterEvents();
    Deserializer<ClusterEvent> decoder = topic.valueSerde().deserializer();
    int written = 0;
    int undecodable = 0;
    Set<String> chunksWritten = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer());
         EventFile.Writer file = EventFile.create(output)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> starts = starts(consumer, partitions, ends);
      starts.forEach(consumer::seek);
      long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
      Map<TopicPartition, ArrayDeque<Positioned>> queues = new HashMap<>();
      partitions.forEach(p -> queues.put(p, new ArrayDeque<>()));
      Set<TopicPartition> reading = new HashSet<>(partitions);
      reading.removeIf(p -> starts.get(p) >= ends.get(p));
      try (ProgressBar bar = progress(total)) {
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
            break;
          }
          queues.get(new TopicPartition(topic.name(), next.partition())).poll();
          if (next.event().getPayload() instanceof Resync chunk
              && !chunksWritten.add(chunk.getResyncId() + "#" + chunk.getChunkIndex())) {
            continue; // the log has a copy per partition; the file needs one
          }
          file.append(next.event());
          written++;
        }
      }
    }
    err.printf("exported %,d events to %s%s%n", written, output,
        undecodable == 0 ? "" : " (" + undecodable + " undecodable records skipped)");
    return undecodable == 0 ? 0 : 3;
  }

  private Map<TopicPartition, Long> starts(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> starts = new HashMap<>(consumer.beginningOffsets(partitions));
    if (from != null) {
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(p -> times.put(p, from.toEpochMilli()));
      for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(times).entrySet()) {
        starts.put(found.getKey(), found.getValue() == null ? ends.get(found.getKey()) : found.getValue().offset());
      }
    }
    return starts;
  }

  private ProgressBar progress(long total) {
    if (!progress || total < PROGRESS_THRESHOLD) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("export").setInitialMax(total).setUnit(" records", 1)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
  }

  private Properties consumerProperties() {
    return kafka.settings().clientProperties(Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
  }
}
