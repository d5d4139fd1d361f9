package org.bwledger.pipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.pipeline.Scrape;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest, as a process of its own, SIGKILLed during its first list, and again while Kafka is away
 * with changes it had not handed on: after each restart its list and resync put the books back in
 * step with the cluster (pods deleted meanwhile retired, pods created meanwhile counted), and the
 * books are the log's ({@code bwctl audit}).
 */
@WithKafka
class IngestFaultsTest {

  private static final String PREFIX = "ingestkill.";
  private static final String EGRESS = "kubernetes.io/egress-bandwidth";

  @TempDir
  Path dir;

  @Test
  void ingestKilledDuringItsListAndWhileKafkaIsAwayLosesNothing(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 3);
    try (MockCluster cluster = new MockCluster();
         KubernetesClient projectorClient = cluster.newClient();
         LedgerService ledger = new LedgerService(Pipeline.ledgerConfig(kafka, PREFIX, dir.resolve("ledger"), 3),
             Guard.NONE);
         ProjectorService projector = new ProjectorService(TestProjectors.config(kafka, PREFIX, PREFIX + "projector",
             dir.resolve("projector"), 3, 50, SchedulingSettings.DEFAULT), projectorClient, Guard.NONE,
             Clock.systemUTC());
         BwctlProcess ingest = BwctlProcess.ingest(kafka.bootstrapServers(), PREFIX, 3,
             cluster.writeKubeconfig(dir.resolve("kubeconfig")), dir)) {
      for (int n = 0; n < 4; n++) {
        cluster.createNode("n" + n, Map.of());
      }
      for (int p = 0; p < 400; p++) {
        createPod(cluster, "first-" + p, p);
      }
      ledger.start();
      projector.start();

      ingest.start().awaitLine("Watching");
      ingest.kill(); // in the middle of its first list
      for (int p = 0; p < 40; p++) {
        cluster.client().pods().inNamespace("lab").withName("first-" + p).delete();
      }
      for (int p = 0; p < 20; p++) {
        createPod(cluster, "meanwhile-" + p, p);
      }
      ingest.start();
      long restarted = System.nanoTime();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> books(projector).equals(cluster(cluster)));
      double afterListKill = (System.nanoTime() - restarted) / 1e9;

      kafka.takeOffline();
      try {
        for (int p = 40; p < 60; p++) {
          cluster.client().pods().inNamespace("lab").withName("first-" + p).delete();
        }
        for (int p = 0; p < 10; p++) {
          createPod(cluster, "offline-" + p, p);
        }
        // Ingest has seen them and holds them for Kafka: a kill now loses what it held.
        int metrics = ingest.apiPort();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> buffered(metrics) >= 30);
        ingest.kill();
      } finally {
        kafka.bringBack();
      }
      ingest.start();
      restarted = System.nanoTime();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> books(projector).equals(cluster(cluster)));
      System.out.printf("ingest SIGKILLed during its first list, and while Kafka was away holding 30 changes: the books "
          + "held every pod of the cluster %.1f s and %.1f s after each restart%n", afterListKill,
          (System.nanoTime() - restarted) / 1e9);

      BwctlRun audit = bwctl("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX,
          "--ledger-application-id", PREFIX + "ledger",
          "--server", "http://127.0.0.1:" + projector.listeners().apiPort(), "--settle", "PT60S");
      assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
      assertThat(books(projector)).hasSize(370);
    }
  }

  /** The events ingest holds for Kafka, from its {@code /metrics}. */
  private static double buffered(int port) throws Exception {
    return Scrape.of(port).value("bwledger_ingest_buffered_events").orElse(0);
  }

  private static void createPod(MockCluster cluster, String name, int p) {
    cluster.createPod("lab", name, "n" + p % 4, p % 3 == 0 ? "w" + p % 7 : null, Map.of(EGRESS, (1 + p % 9) + "M"));
  }

  /** Every pod the books hold, as {@code node/name}, and its egress in Mbit/s. */
  private static SortedMap<String, Long> books(ProjectorService projector) {
    SortedMap<String, Long> held = new TreeMap<>();
    try {
      for (NodeBandwidth node : projector.queries().all()) {
        for (Reservation reservation : node.getReservations()) {
          held.put(node.getNode() + "/" + reservation.getPodName(), reservation.getUlMbps());
        }
      }
    } catch (RuntimeException e) {
      return new TreeMap<>(); // the stores not queryable yet
    }
    return held;
  }

  /** Every pod of the cluster, as the books should hold it. */
  private static SortedMap<String, Long> cluster(MockCluster cluster) {
    SortedMap<String, Long> pods = new TreeMap<>();
    for (Pod pod : cluster.client().pods().inNamespace("lab").list().getItems()) {
      String egress = pod.getMetadata().getAnnotations().get(EGRESS);
      pods.put(pod.getSpec().getNodeName() + "/" + pod.getMetadata().getName(),
          Long.parseLong(egress.substring(0, egress.length() - 1)));
    }
    return pods;
  }
}
