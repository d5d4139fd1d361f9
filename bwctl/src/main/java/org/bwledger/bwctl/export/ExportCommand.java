package org.bwledger.bwctl.export;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.options.ConfigDefaults;
import org.bwledger.runtime.options.KafkaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl export}: a time window of {@code bw.cluster-events} to an Avro container file that
 * {@code bwctl replay} reads, its partitions merged into one sequence ({@link MergedLog}).
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

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    int[] written = {0};
    int undecodable;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      MergedLog log = new MergedLog(consumer, kafka.settings().topics().clusterEvents());
      List<TopicPartition> partitions = log.partitions();
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> starts = starts(consumer, partitions, ends);
      long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
      try (EventFile.Writer file = EventFile.create(output, partitions.size());
           ProgressBar bar = progress(total)) {
        undecodable = log.read(starts, ends, to, event -> {
          try {
            file.append(event);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          written[0]++;
        }, bar, err);
      }
    }
    err.printf("exported %,d events to %s%s%n", written[0], output,
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
