package org.bwledger.pipeline;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;

/**
 * Ingest, the ledger (emitting every 200 ms) and the projector against one mock cluster and one
 * broker, under a topic prefix of their own; ready when it returns. Also how the pipeline's tests
 * configure each component alone.
 */
public final class Pipeline implements AutoCloseable {

  private final List<AutoCloseable> running = new ArrayList<>();
  private final IngestService ingest;
  private final LedgerService ledger;
  private final ProjectorService projector;

  public Pipeline(TestKafka kafka, MockCluster cluster, String prefix, Path stateDir) throws Exception {
    this(kafka, cluster, prefix, stateDir, SchedulingSettings.DEFAULT);
  }

  /** The same, with the projector's scheduling settings (extender, node marks) as given. */
  public Pipeline(TestKafka kafka, MockCluster cluster, String prefix, Path stateDir, SchedulingSettings scheduling)
      throws Exception {
    KubernetesClient ingestClient = cluster.newClient();
    running.add(ingestClient);
    ingest = new IngestService(ingestConfig(kafka, prefix, 2).withBufferedEvents(10_000), ingestClient,
        Guard.NONE, Clock.systemUTC());
    running.add(ingest);
    ingest.start();

    ledger = new LedgerService(ledgerConfig(kafka, prefix, stateDir.resolve("ledger"), 2), Guard.NONE);
    running.add(ledger);
    ledger.start();

    KubernetesClient projectorClient = cluster.newClient();
    running.add(projectorClient);
    projector = new ProjectorService(TestProjectors.config(kafka, prefix, prefix + "projector",
        stateDir.resolve("projector"), 2, 50, scheduling), projectorClient, Guard.NONE, Clock.systemUTC());
    running.add(projector);
    projector.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> projector.health().ready() && ingest.health().ready());
  }

  /** Ingest as the tests run it: under {@code prefix}, serving on loopback. */
  public static IngestConfig ingestConfig(TestKafka kafka, String prefix, int partitions) {
    return ingestConfig(new KafkaSettings(kafka.bootstrapServers(), prefix, partitions, Map.of()));
  }

  /** Ingest as the tests run it, against {@code kafka}, serving on loopback. */
  public static IngestConfig ingestConfig(KafkaSettings kafka) {
    return IngestConfig.defaults().withKafka(kafka).withServing(ServingSettings.loopback());
  }

  /**
   * The ledger as the tests run it: under {@code prefix}, publishing every 200 ms and committing every
   * 100 ms without a cache, so states follow events closely; serving on loopback.
   */
  public static LedgerConfig ledgerConfig(TestKafka kafka, String prefix, Path stateDir, int partitions)
      throws IOException {
    return ledgerConfig(new KafkaSettings(kafka.bootstrapServers(), prefix, partitions, Map.of()), stateDir);
  }

  /** The same against {@code kafka}, its properties kept. */
  public static LedgerConfig ledgerConfig(KafkaSettings kafka, Path stateDir) throws IOException {
    Map<String, String> properties = new HashMap<>(kafka.properties());
    properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    return LedgerConfig.defaults()
        .withKafka(kafka.withProperties(properties))
        .withApplicationId(kafka.topicPrefix() + "ledger")
        .withStateDir(Files.createDirectories(stateDir))
        .withEmitInterval(Duration.ofMillis(200))
        .withServing(ServingSettings.loopback());
  }

  public IngestService ingest() {
    return ingest;
  }

  public LedgerService ledger() {
    return ledger;
  }

  public ProjectorService projector() {
    return projector;
  }

  /**
   * Where the pipeline's threads stand: every Kafka Streams thread and every thread in bwledger code,
   * with its stack. For the message of a test that waited in vain, so a stall says where it waits.
   */
  public static String threads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().contains("StreamThread")
          || Arrays.stream(stack).anyMatch(frame -> frame.getClassName().startsWith("org.bwledger."))) {
        dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
        Arrays.stream(stack).limit(25).forEach(frame -> dump.append("    at ").append(frame).append('\n'));
      }
    });
    return dump.toString();
  }

  @Override
  public void close() throws Exception {
    Collections.reverse(running);
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
  }
}
