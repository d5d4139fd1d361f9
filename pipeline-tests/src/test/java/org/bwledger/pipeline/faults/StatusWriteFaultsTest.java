package org.bwledger.pipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes API refusing every status write for 30 s (500s, 409s, answers too late) while the
 * cluster changes: the projector backs off rather than hammering it, and its statuses then end where
 * the log does.
 */
@WithKafka
class StatusWriteFaultsTest {

  private static final String PREFIX = "apifail.";
  private static final int NODES = 4;

  @TempDir
  Path dir;

  @Test
  void theProjectorBacksOffWhileTheApiFailsThenConverges(TestKafka kafka) throws Exception {
    try (MockCluster cluster = new MockCluster();
         Pipeline pipeline = new Pipeline(kafka, cluster, PREFIX, dir)) {
      for (int n = 0; n < NODES; n++) {
        cluster.createNode("n" + n, Map.of());
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> statuses(cluster) == NODES);

      cluster.failStatusWrites(Duration.ofSeconds(30));
      long failingSince = System.nanoTime();
      for (int p = 0; p < 20; p++) {
        cluster.createPod("lab", "pod-" + p, "n" + p % NODES, null,
            Map.of("kubernetes.io/egress-bandwidth", (p + 1) * 10 + "M"));
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> !cluster.failingStatusWrites());
      int refused = cluster.statusWritesRefused();

      BwctlRun audit = bwctl("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX,
          "--ledger-application-id", PREFIX + "ledger",
          "--server", "http://127.0.0.1:" + pipeline.projector().listeners().apiPort(),
          "--kubeconfig", cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString(), "--settle", "PT90S");
      System.out.printf("API failing status writes for 30 s: %d writes refused over %d nodes (%.1f a node); "
          + "statuses agreed with the log %.1f s after the API recovered%n", refused, NODES, refused / (double) NODES,
          (System.nanoTime() - failingSince) / 1e9 - 30);

      assertThat(audit.exitCode()).as(audit.out() + audit.err()).isZero();
      // Exponential backoff from 200 ms: about eight tries a node in 30 s; a loop without it, thousands.
      assertThat(refused).isPositive().isLessThanOrEqualTo(NODES * 10);
    }
  }

  private static int statuses(MockCluster cluster) {
    int written = 0;
    for (GenericKubernetesResource object : cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).list()
        .getItems()) {
      if (object.getAdditionalProperties().get("status") != null) {
        written++;
      }
    }
    return written;
  }
}
