package org.bwledger.pipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector, as a process of its own, SIGKILLed while it writes statuses: restarted on its
 * state each time, its statuses and its API end where the log does ({@code bwctl audit}).
 */
@WithKafka
class ProjectorFaultsTest {

  private static final String PREFIX = "projkill.";
  private static final int KILLS = 3;

  @TempDir
  Path dir;

  @Test
  void aProjectorKilledWhileWritingStatusesEndsWhereTheLogDoes(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 1);
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(8, 120, 12, 2_400).generate(5, new EventFactory(), history::add);
    int port = freePort();
    List<Duration> readyAfterKill = new ArrayList<>();

    try (MockCluster cluster = new MockCluster();
         LedgerService ledger = new LedgerService(Pipeline.ledgerConfig(kafka, PREFIX, dir.resolve("ledger"), 1),
             Guard.NONE);
         BwctlProcess projector = BwctlProcess.projector(kafka.bootstrapServers(), PREFIX, "p0", port,
             cluster.writeKubeconfig(dir.resolve("kubeconfig")), dir)) {
      for (int n = 0; n < 8; n++) {
        cluster.createNode(node(n), Map.of());
      }
      ledger.start();
      projector.start().awaitLine("caught up with");
      int perBatch = history.size() / (KILLS + 1) + 1;
      for (int batch = 0; batch <= KILLS; batch++) {
        List<ClusterEvent> events = history.subList(batch * perBatch, Math.min(history.size(), (batch + 1) * perBatch));
        kafka.produce(topics, events);
        if (batch < KILLS) {
          Set<String> ids = Set.copyOf(events.stream().map(ClusterEvent::getEventId).toList());
          // Killed as soon as it writes a status of this batch: the rest of the batch's writes are lost with it.
          await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
              .until(() -> statusPositions(cluster).stream().anyMatch(ids::contains));
          projector.kill();
          projector.start();
          readyAfterKill.add(projector.awaitLine("caught up with"));
        }
      }

      long lastWritten = System.nanoTime();
      BwctlRun audit = bwctl("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX,
          "--ledger-application-id", PREFIX + "ledger", "--server", "http://127.0.0.1:" + port,
          "--kubeconfig", dir.resolve("kubeconfig").toString(), "--settle", "PT90S");
      System.out.printf("projector SIGKILLed %d times while writing statuses: ready again after %s; statuses and "
          + "API agreed with the log %.1f s after the last event was written%n", KILLS, readyAfterKill,
          (System.nanoTime() - lastWritten) / 1e9);
      assertThat(audit.exitCode()).as(() -> audit.out() + audit.err() + tail(projector) + projector.threadDump())
          .isZero();
    }
  }

  /** The ledger position of every Bandwidth status written so far. */
  private static List<String> statusPositions(MockCluster cluster) {
    List<String> positions = new ArrayList<>();
    for (GenericKubernetesResource object : cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).list()
        .getItems()) {
      if (object.getAdditionalProperties().get("status") instanceof Map<?, ?> status) {
        positions.add(String.valueOf(status.get("ledgerPosition")));
      }
    }
    return positions;
  }

  private static String tail(BwctlProcess process) {
    try {
      String log = process.thisRun();
      return log.substring(Math.max(0, log.length() - 6_000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The names {@link ClusterHistory} gives its nodes. */
  private static String node(int n) {
    return String.format("node-%04d", n);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
