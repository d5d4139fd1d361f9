package org.bwledger.ledger.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.bwledger.ledger.app.DeadLetterHandler;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topics;

/** The ledger topology under {@link TopologyTestDriver}, with what it published folded by key. */
public final class LedgerDriver implements AutoCloseable {

  /** How often the driven ledger publishes a busy node. */
  public static final Duration EMIT_INTERVAL = Duration.ofSeconds(1);

  private final Topics topics = Topics.withPrefix("bw.");
  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, ClusterEvent> events;
  private final TestInputTopic<String, byte[]> rawEvents;
  private final TestOutputTopic<String, NodeBandwidth> published;
  private final TestOutputTopic<byte[], byte[]> deadLetters;
  private final SortedMap<String, NodeBandwidth> nodes = new TreeMap<>();
  private final MeterRegistry metrics = new SimpleMeterRegistry();

  public LedgerDriver(LedgerRules rules) {
    try {
      Files.createDirectories(Path.of("target"));
      stateDir = Files.createTempDirectory(Path.of("target"), "ledger-driver");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
    props.put(LedgerTopology.METRICS_CONFIG, metrics);
    props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, UsePartitionTimeOnInvalidTimestamp.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetters().name());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    driver = new TopologyTestDriver(LedgerTopology.build(topics, rules, EMIT_INTERVAL, 1), props);
    events = driver.createInputTopic(topics.clusterEvents().name(),
        topics.clusterEvents().keySerde().serializer(), topics.clusterEvents().valueSerde().serializer());
    rawEvents = driver.createInputTopic(topics.clusterEvents().name(),
        topics.clusterEvents().keySerde().serializer(), (topic, bytes) -> bytes);
    published = driver.createOutputTopic(topics.nodeBandwidth().name(),
        topics.nodeBandwidth().keySerde().deserializer(), topics.nodeBandwidth().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetters().name(), (t, b) -> b, (t, b) -> b);
  }

  public LedgerDriver() {
    this(LedgerRules.DEFAULT);
  }

  /** Pipes events in, keyed and timestamped as ingest writes them. */
  public LedgerDriver send(ClusterEvent... batch) {
    for (ClusterEvent event : batch) {
      events.pipeInput(new TestRecord<>(ClusterEventKey.of(event), event, event.getObservedAt()));
    }
    return this;
  }

  public LedgerDriver sendAll(List<ClusterEvent> batch) {
    return send(batch.toArray(ClusterEvent[]::new));
  }

  /** Pipes a record whose value is raw bytes, as a broken producer might. */
  public LedgerDriver sendRaw(String key, byte[] value) {
    rawEvents.pipeInput(key, value);
    return this;
  }

  /**
   * What {@code bw.node-bandwidth} holds per key after compaction (the latest value, tombstones
   * removed), once an emit interval has passed.
   */
  public SortedMap<String, NodeBandwidth> nodes() {
    published();
    return nodes;
  }

  /**
   * Every record published since the last look, in order, once the events' task has taken its
   * partition for quiet and said so (the events are dated long ago, so after ten emit intervals),
   * the later stages took them in, and an emit interval has passed: twelve emit intervals pass.
   */
  public List<TestRecord<String, NodeBandwidth>> published() {
    settle();
    List<TestRecord<String, NodeBandwidth>> records = published.readRecordsToList();
    for (var record : records) {
      if (record.value() == null) {
        nodes.remove(record.key());
      } else {
        nodes.put(record.key(), record.value());
      }
    }
    return records;
  }

  /**
   * Every record published while {@code duration} of wall-clock time passes, in steps of 10 ms, from
   * what was sent before; the driver's clock starts at the machine's, so events dated now are recent.
   */
  public List<TestRecord<String, NodeBandwidth>> publishedWithin(Duration duration) {
    for (long passed = 0; passed < duration.toMillis(); passed += 10) {
      driver.advanceWallClockTime(Duration.ofMillis(10));
    }
    return published.readRecordsToList();
  }

  /** Lets ten emit intervals and more pass, so every stage has taken in what was sent (see {@link #published}). */
  private void settle() {
    for (int interval = 0; interval < 12; interval++) {
      driver.advanceWallClockTime(EMIT_INTERVAL);
    }
  }

  public NodeBandwidth node(String name) {
    return nodes().get(name);
  }

  /**
   * What a state store of the topology holds, by key (the names are {@link LedgerTopology}'s), once
   * what was sent has passed every stage.
   */
  public <V> SortedMap<String, V> store(String name) {
    settle();
    SortedMap<String, V> entries = new TreeMap<>();
    KeyValueStore<String, V> store = driver.getKeyValueStore(name);
    try (var all = store.all()) {
      all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
    }
    return entries;
  }

  /** Headers of every record sent to the dead-letter topic so far. */
  public List<Headers> deadLetterHeaders() {
    return deadLetters().stream().map(TestRecord::headers).toList();
  }

  /** Every record sent to the dead-letter topic since the last call. */
  public List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  /** What the dead-letter handler counted, by cause. */
  public double deadLettersCounted(String cause) {
    var counter = metrics.find("bwledger.ledger.dead.letters").tag("cause", cause).counter();
    return counter == null ? 0 : counter.count();
  }

  /** How many changes came after their turn, over both later stages. */
  public double lateChangesCounted() {
    return metrics.find("bwledger.ledger.late.changes").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    driver.close();
    try (var files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
