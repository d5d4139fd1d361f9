package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bwledger.bwctl.record.TraceRecorder;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the live pipeline wrote to the Bandwidth objects is what a replay of the recorded trace prints. */
@WithKafka
class RecordReplayTest {

  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final List<String> COMPARED = List.of("capacity", "used", "remaining", "reservations", "status",
      "summary");

  @TempDir
  Path dir;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aRecordedTraceReplaysToTheStatusTheProjectorWrote(TestKafka kafka) throws Exception {
    Path trace = dir.resolve("trace.json");
    try (MockCluster cluster = new MockCluster();
         KubernetesClient recorderClient = cluster.newClient();
         TraceRecorder recorder = new TraceRecorder(recorderClient, TraceRecorder.Scope.EVERYTHING, trace, Clock.systemUTC());
         Pipeline pipeline = new Pipeline(kafka, cluster, "rec.", dir)) {
      recorder.start();
      cluster.createNode("n1", Map.of());
      cluster.createNode("n2", Map.of());
      cluster.createPod("lab", "iperf", "n1", null, Map.of(EGRESS, "100M"));
      cluster.createPod("lab", "gossip-0", "n1", "gossip", Map.of(EGRESS, "30M"));
      cluster.createPod("lab", "gossip-1", "n2", "gossip", Map.of(EGRESS, "30M"));
      cluster.createPod("lab", "relay-0", "n2", "relay", Map.of("ovn.kubernetes.io/ingress_rate", "20"));
      cluster.createPod("lab", "typo", "n2", null, Map.of(EGRESS, "10Mbps"));
      await().atMost(Duration.ofSeconds(60)).until(() -> bandwidth(cluster, "n2") != null);
      cluster.client().pods().inNamespace("lab").withName("gossip-1").delete(); // gossip-0 alone: link-local now
      cluster.patchBandwidthSpec("n2", Map.of("node", "n2", "capacity", Map.of("network", Map.of("ulMbps", 500))));

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        BwctlRun replay = bwctl("replay", "-o", "json", trace.toString());
        assertThat(replayed(replay)).isEqualTo(written(cluster)).containsOnlyKeys("n1", "n2");
      });
      Map<String, JsonNode> statuses = written(cluster);
      assertThat(statuses.get("n2").at("/remaining/network/ulMbps").asLong()).isEqualTo(500);
      assertThat(statuses.get("n1").at("/used/network/ulMbps").asLong()).isEqualTo(100); // gossip-0 is link-local
    }
  }

  private Map<String, JsonNode> replayed(BwctlRun replay) throws Exception {
    Map<String, JsonNode> nodes = new TreeMap<>();
    for (JsonNode item : json.readTree(replay.out()).path("items")) {
      nodes.put(item.path("metadata").path("name").asText(), compared(item.path("status")));
    }
    return nodes;
  }

  private Map<String, JsonNode> written(MockCluster cluster) throws Exception {
    Map<String, JsonNode> nodes = new TreeMap<>();
    for (GenericKubernetesResource object : cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).list()
        .getItems()) {
      if (object.getAdditionalProperties().get("status") != null) {
        nodes.put(object.getMetadata().getName(), compared(json.readTree(
            json.writeValueAsString(object.getAdditionalProperties().get("status")))));
      }
    }
    return nodes;
  }

  /** The figures and reservations; not the position or the times, which replay dates from the trace. */
  private JsonNode compared(JsonNode status) {
    ObjectNode kept = json.createObjectNode();
    COMPARED.forEach(field -> kept.set(field, status.path(field)));
    return kept;
  }

  private static GenericKubernetesResource bandwidth(MockCluster cluster, String node) {
    return cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).withName(node).get();
  }
}
