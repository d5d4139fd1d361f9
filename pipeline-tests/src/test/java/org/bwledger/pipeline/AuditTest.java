package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bwctl audit} against a running pipeline: the books it folds from the log agree with what the
 * projector serves and the Bandwidth objects hold, and a status someone changed by hand is found.
 */
@WithKafka
class AuditTest {

  private static final String PREFIX = "audit.";

  @TempDir
  Path dir;

  @Test
  void theFoldOfTheLogAgreesWithTheLiveSideAndAStatusChangedByHandIsFound(TestKafka kafka) throws Exception {
    try (MockCluster cluster = new MockCluster();
         Pipeline pipeline = new Pipeline(kafka, cluster, PREFIX, dir)) {
      for (int n = 0; n < 3; n++) {
        cluster.createNode("n" + n, Map.of());
      }
      for (int p = 0; p < 12; p++) {
        cluster.createPod("lab", "pod-" + p, "n" + p % 3, p % 2 == 0 ? "swarm" : null,
            Map.of("kubernetes.io/egress-bandwidth", (p + 1) * 10 + "M"));
      }
      cluster.createPod("lab", "typo", "n0", null, Map.of("kubernetes.io/egress-bandwidth", "10Mbps"));
      await().atMost(Duration.ofSeconds(60)).until(() -> reservations(cluster) == 13);
      List<String> audit = List.of("audit", "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", PREFIX,
          "--ledger-application-id", PREFIX + "ledger",
          "--server", "http://127.0.0.1:" + pipeline.projector().listeners().apiPort(),
          "--kubeconfig", cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString());

      BwctlRun agreed = bwctl(with(audit, "--settle", "PT30S"));

      assertThat(agreed.exitCode()).as(agreed.out() + agreed.err()).isZero();
      assertThat(agreed.out()).contains("projector at http://127.0.0.1:", ": all 3 nodes agree with the log",
          "Bandwidth status: all 3 nodes agree with the log");

      GenericKubernetesResource n1 = cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).withName("n1")
          .get();
      @SuppressWarnings("unchecked")
      Map<String, Object> status = (Map<String, Object>) n1.getAdditionalProperties().get("status");
      status.put("used", Map.of("network", Map.of("ulMbps", 1, "dlMbps", 0), "local", Map.of("ulMbps", 1,
          "dlMbps", 0)));
      cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).resource(n1).updateStatus();

      BwctlRun differed = bwctl(with(audit, "--settle", "PT1S"));

      assertThat(differed.exitCode()).isEqualTo(1);
      assertThat(differed.out()).contains("projector at http://127.0.0.1:", "all 3 nodes agree",
          "Bandwidth status: 1 nodes differ from the log", "n1  used.network.ulMbps: 1, the log says ");
    }
  }

  private static String[] with(List<String> command, String... more) {
    return Stream.concat(command.stream(), Stream.of(more)).toArray(String[]::new);
  }

  private static int reservations(MockCluster cluster) {
    int reservations = 0;
    for (GenericKubernetesResource object : cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).list()
        .getItems()) {
      Object status = object.getAdditionalProperties().get("status");
      if (status instanceof Map<?, ?> fields && fields.get("reservations") instanceof List<?> list) {
        reservations += list.size();
      }
    }
    return reservations;
  }
}
