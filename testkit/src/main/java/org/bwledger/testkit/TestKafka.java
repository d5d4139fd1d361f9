package org.bwledger.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topic;
import org.bwledger.schemas.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real Kafka broker of the integration tests (DESIGN §7): Testcontainers' {@link KafkaContainer}
 * where a Docker engine answers, else a KRaft broker in this JVM. {@code BW_TEST_KAFKA=in-jvm} or
 * {@code docker} chooses instead of asking Docker.
 */
public final class TestKafka implements AutoCloseable {

  /** The broker image where Docker runs it: the Kafka version the project builds against. */
  public static final String IMAGE = "apache/kafka:4.3.1";

  private static final Logger log = LoggerFactory.getLogger(TestKafka.class);

  private final String bootstrapServers;
  private final AutoCloseable broker;
  private final Runnable takeOffline;
  private final Runnable bringBack;
  private final Function<String, List<Path>> partitionDirs;

  private TestKafka(String bootstrapServers, AutoCloseable broker, Runnable takeOffline, Runnable bringBack,
      Function<String, List<Path>> partitionDirs) {
    this.bootstrapServers = bootstrapServers;
    this.broker = broker;
    this.takeOffline = takeOffline;
    this.bringBack = bringBack;
    this.partitionDirs = partitionDirs;
  }

  public static TestKafka start() throws Exception {
    String choice = System.getenv().getOrDefault("BW_TEST_KAFKA", "");
    boolean docker = choice.equals("docker") || (choice.isEmpty() && DockerClientFactory.instance().isDockerAvailable());
    return docker ? inDocker() : inJvm();
  }

  private static TestKafka inDocker() {
    KafkaContainer container = new KafkaContainer(IMAGE);
    container.start();
    log.info("Kafka {} in Docker at {}", IMAGE, container.getBootstrapServers());
    var docker = container.getDockerClient();
    return new TestKafka(container.getBootstrapServers(), container::stop,
        () -> docker.pauseContainerCmd(container.getContainerId()).exec(),
        () -> docker.unpauseContainerCmd(container.getContainerId()).exec(),
        partition -> {
          throw new UnsupportedOperationException("a log segment can be damaged in this JVM's broker only");
        });
  }

  private static TestKafka inJvm() throws Exception {
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(
            new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    log.info("Kafka in this JVM at {} (no Docker engine answered, or BW_TEST_KAFKA=in-jvm)", cluster.bootstrapServers());
    // The kit binds its ports up front, so a broker that starts again listens where it did before.
    return new TestKafka(cluster.bootstrapServers(), cluster,
        () -> cluster.brokers().values().forEach(broker -> broker.shutdown()),
        () -> cluster.brokers().values().forEach(broker -> broker.startup()),
        partition -> cluster.brokers().values().stream().flatMap(broker -> broker.config().logDirs().stream())
            .map(dir -> Path.of(dir, partition)).filter(Files::isDirectory).toList());
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * Creates bwledger's shared topics as the ledger would, and returns once every partition has a
   * leader: a producer that writes sooner gets NOT_LEADER errors, and the in-JVM broker can then
   * refuse its retries as out of sequence.
   */
  public void createTopics(Topics topics, int partitions) throws ExecutionException, InterruptedException {
    try (Admin admin = admin()) {
      List<NewTopic> definitions = topics.definitions(partitions);
      admin.createTopics(definitions).all().get();
      List<String> names = definitions.stream().map(NewTopic::name).toList();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
          admin.describeTopics(names).allTopicNames().get().values().stream()
              .flatMap(topic -> topic.partitions().stream())
              .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
    }
  }

  /** Makes the broker unreachable (in this JVM it shuts down, in Docker it is paused) until {@link #bringBack}. */
  public void takeOffline() {
    takeOffline.run();
    log.info("Kafka taken offline");
  }

  /** Makes the broker reachable again, with the log it had. */
  public void bringBack() {
    bringBack.run();
    log.info("Kafka back online");
  }

  /**
   * Damages the first log segment of a partition ({@code topic-partition}) as a bad disk would: the
   * broker stops, 64 bytes in the middle of the segment are overwritten, and it starts again, with
   * the segment as it is (a clean shutdown spares it the recovery that would cut it). A consumer
   * then finds a record batch whose checksum fails.
   */
  public void damageSegment(String topic, int partition) throws IOException {
    takeOffline();
    for (Path dir : partitionDirs.apply(topic + "-" + partition)) {
      try (FileChannel segment = FileChannel.open(dir.resolve("00000000000000000000.log"), StandardOpenOption.WRITE)) {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x5A);
        segment.write(ByteBuffer.wrap(garbage), segment.size() / 2);
      }
    }
    bringBack();
  }

  /**
   * Writes cluster events as ingest does: each keyed per object and dated when observed (a time
   * before 1970, which a record cannot carry, as 1970), and each resync chunk to every partition.
   * Returns once the broker has taken every one; a send it refused fails here, not as a record
   * missing later.
   */
  public void produce(Topics topics, List<ClusterEvent> events) {
    String topic = topics.clusterEvents().name();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, ClusterEvent> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        topics.clusterEvents().keySerde().serializer(), topics.clusterEvents().valueSerde().serializer())) {
      int partitions = producer.partitionsFor(topic).size();
      for (ClusterEvent event : events) {
        long timestamp = Math.max(0, event.getObservedAt().toEpochMilli());
        if (event.getPayload() instanceof Resync) {
          for (int partition = 0; partition < partitions; partition++) {
            sent.add(producer.send(new ProducerRecord<>(topic, partition, timestamp, ClusterEventKey.of(event), event)));
          }
        } else {
          sent.add(producer.send(new ProducerRecord<>(topic, null, timestamp, ClusterEventKey.of(event), event)));
        }
      }
      for (Future<RecordMetadata> send : sent) {
        send.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker refused an event for " + topic + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * Hands every committed record of {@code topic}, from its start to where it ends now, to
   * {@code records}: each partition's in order.
   */
  public <K, V> void readAll(Topic<K, V> topic, Consumer<ConsumerRecord<K, V>> records) {
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records);
      }
    }
  }

  /** The latest committed value per key of {@code topic}, tombstones applied: a compacted topic's table. */
  public <V> SortedMap<String, V> latest(Topic<String, V> topic) {
    SortedMap<String, V> latest = new TreeMap<>();
    readAll(topic, record -> {
      if (record.value() == null) {
        latest.remove(record.key());
      } else {
        latest.put(record.key(), record.value());
      }
    });
    return latest;
  }

  @Override
  public void close() throws Exception {
    broker.close();
  }
}
