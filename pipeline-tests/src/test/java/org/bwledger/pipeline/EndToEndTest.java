package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real broker and the fabric8 mock API: pods with annotations → ingest →
 * ledger → projector → Bandwidth status, the REST API, and time travel.
 */
@WithKafka
class EndToEndTest {

  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final String OVN_INGRESS = "ovn.kubernetes.io/ingress_rate";

  private final TestKafka kafka;

  @TempDir
  Path stateDir;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> running = new ArrayList<>();
  private MockCluster cluster;

  EndToEndTest(TestKafka kafka) {
    this.kafka = kafka;
  }

  @AfterEach
  void stop() throws Exception {
    Collections.reverse(running);
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
    cluster.close();
  }

  @Test
  void podsInTheApiBecomeBandwidthStatusAndRestAnswersNowAndAtAnEarlierTime() throws Exception {
    cluster = new MockCluster();
    ProjectorService projector = startPipeline("e2e.");
    cluster.createNode("n1", Map.of());
    cluster.createPod("lab", "iperf", "n1", null, Map.of(EGRESS, "100M"));
    cluster.createPod("lab", "gossip-0", "n1", "gossip", Map.of(OVN_INGRESS, "20"));

    // gossip-0 is its workload's only pod, all on n1: once the ledger knows, link-local, charged to local only
    JsonNode status = awaitStatus("n1", s -> s.at("/used/network/ulMbps").asLong() == 100
        && s.at("/used/local/dlMbps").asLong() == 20 && s.at("/used/network/dlMbps").asLong() == 0);
    assertThat(status.at("/remaining/network/ulMbps").asLong()).isEqualTo(900);
    assertThat(status.at("/reservations")).hasSize(2);
    assertThat(status.at("/summary/reservations").asInt()).isEqualTo(2);
    assertThat(bandwidth("n1").getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("Node");
      assertThat(owner.getUid()).isEqualTo(cluster.client().nodes().withName("n1").get().getMetadata().getUid());
    });
    JsonNode rest = get(projector, "/api/v1/nodes/n1");
    assertThat(rest.get("status").get("used")).isEqualTo(status.get("used"));
    Instant withIperf = Instant.parse(status.get("updatedAt").asText());

    cluster.client().pods().inNamespace("lab").withName("iperf").delete();
    awaitStatus("n1", s -> s.at("/used/network/ulMbps").asLong() == 0 && s.at("/reservations").size() == 1);

    editCapacity("n1", 500);
    status = awaitStatus("n1", s -> s.at("/capacity/network/ulMbps").asLong() == 500);
    assertThat(status.at("/remaining/network/ulMbps").asLong()).isEqualTo(500);
    assertThat(bandwidth("n1").getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("node", "n1", "capacity", Map.of("network", Map.of("ulMbps", 500))));

    JsonNode now = get(projector, "/api/v1/nodes/n1");
    assertThat(now.at("/status/remaining/network/ulMbps").asLong()).isEqualTo(500);
    JsonNode then = get(projector, "/api/v1/nodes/n1?at=" + URLEncoder.encode(withIperf.toString(), StandardCharsets.UTF_8));
    assertThat(then.at("/status/used/network/ulMbps").asLong()).isEqualTo(100);
    assertThat(then.at("/status/reservations")).hasSize(2);
    JsonNode history = get(projector, "/api/v1/nodes/n1/history");
    assertThat(history.get("versions").size()).isGreaterThanOrEqualTo(3);
    assertThat(get(projector, "/api/v1/namespaces/lab/pods/gossip-0/reservation").get("node").asText())
        .isEqualTo("n1");
    assertThat(get(projector, "/api/v1/nodes").at("/items/0/remaining/network/ulMbps").asLong()).isEqualTo(500);
    assertThat(get(projector, "/api/v1/summary").get("reservations").asInt()).isEqualTo(1);
  }

  @Test
  void theApiAnswersErrorsAsJsonSayingWhat() throws Exception {
    cluster = new MockCluster();
    ProjectorService projector = startPipeline("errors.");

    HttpResponse<String> unknown = send(projector, "/api/v1/nodes/nowhere");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json.readTree(unknown.body()).get("error").asText()).contains("nowhere");

    HttpResponse<String> badTime = send(projector, "/api/v1/nodes/n1?at=yesterday");
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(json.readTree(badTime.body()).get("error").asText()).contains("'at'").contains("yesterday")
        .contains("ISO-8601");

    HttpResponse<String> backwards = send(projector, "/api/v1/nodes/n1/history?from=2026-11-23T10:00:00Z&to=2026-11-22T10:00:00Z");
    assertThat(backwards.statusCode()).isEqualTo(400);
    assertThat(json.readTree(backwards.body()).get("error").asText()).contains("'from'");

    assertThat(send(projector, "/openapi.yaml").body()).contains("/api/v1/nodes/{node}/history");
    assertThat(send(projector, "/metrics").body()).contains("bwledger_projector_rest_latency");
  }

  private ProjectorService startPipeline(String prefix) throws Exception {
    Pipeline pipeline = new Pipeline(kafka, cluster, prefix, stateDir);
    running.add(pipeline);
    return pipeline.projector();
  }

  private JsonNode awaitStatus(String node, Predicate<JsonNode> condition) {
    JsonNode[] status = new JsonNode[1];
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      GenericKubernetesResource object = bandwidth(node);
      if (object == null || object.getAdditionalProperties().get("status") == null) {
        return false;
      }
      status[0] = json.valueToTree(object.getAdditionalProperties().get("status"));
      return condition.test(status[0]);
    });
    return status[0];
  }

  private GenericKubernetesResource bandwidth(String node) {
    return cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).withName(node).get();
  }

  private void editCapacity(String node, long networkUl) {
    cluster.patchBandwidthSpec(node, Map.of("node", node, "capacity", Map.of("network", Map.of("ulMbps", networkUl))));
  }

  private JsonNode get(ProjectorService projector, String path) throws Exception {
    HttpResponse<String> response = send(projector, path);
    assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private HttpResponse<String> send(ProjectorService projector, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + projector.listeners().apiPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
