package org.bwledger.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bwledger.kube.crd.BandwidthCrd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated API as fabric8 clients and plain HTTP see it: what a real API server would answer. */
class SimulatedApiServerTest {

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private SimulatedApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    api = SimulatedApiServer.start("127.0.0.1", 0, Clock.systemUTC(), BandwidthCrd.definition());
    client = api.newClient();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void assignsUidsAndResourceVersionsAndBindsAPodOnce() {
    Pod pod = client.pods().inNamespace("lab").resource(pending("p1")).create();
    assertThat(pod.getMetadata().getUid()).isNotBlank();
    assertThat(Long.parseLong(pod.getMetadata().getResourceVersion())).isPositive();

    bind("p1", pod.getMetadata().getUid(), "n1");

    Pod bound = client.pods().inNamespace("lab").withName("p1").get();
    assertThat(bound.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(Long.parseLong(bound.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(pod.getMetadata().getResourceVersion()));
    assertThatThrownBy(() -> bind("p1", null, "n2"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("already assigned to node \"n1\"");
        });
  }

  @Test
  void aBindingWithAnotherPodsUidIsRefused() {
    client.pods().inNamespace("lab").resource(pending("p1")).create();

    assertThatThrownBy(() -> bind("p1", "not-its-uid", "n1"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace("lab").withName("p1").get().getSpec().getNodeName()).isNull();
  }

  @Test
  void aWatchFromAResourceVersionSendsEveryChangeSinceThenTheNextOnes() throws Exception {
    client.nodes().resource(node("n1")).create();
    String listed = client.nodes().list().getMetadata().getResourceVersion();
    client.nodes().resource(node("n2")).create();
    client.nodes().withName("n1").edit(node -> new NodeBuilder(node).editMetadata().addToLabels("zone", "a")
        .endMetadata().build());
    client.nodes().withName("n2").delete();

    List<String> seen = new CopyOnWriteArrayList<>();
    try (var watch = client.nodes().withResourceVersion(listed).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Node node) {
        seen.add(action + " " + node.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
      client.nodes().resource(node("n3")).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4);
    }
    assertThat(seen).containsExactly("ADDED n2", "MODIFIED n1", "DELETED n2", "ADDED n3");
  }

  @Test
  void aWatchBySelectorSeesAnObjectLeaveItsSelectionAsDeleted() throws Exception {
    client.nodes().resource(new NodeBuilder(node("n1")).editMetadata().addToLabels("pool", "lab").endMetadata()
        .build()).create();
    HttpResponse<java.io.InputStream> watch = http.send(HttpRequest.newBuilder(URI.create(api.url()
        + "api/v1/nodes?watch=true&labelSelector=pool%3Dlab")).build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8));

    String line = events.readLine();
    assertThat(json.readTree(line).path("type").asText()).as(line).isEqualTo("ADDED");
    client.nodes().withName("n1").edit(node -> new NodeBuilder(node).editMetadata().addToLabels("pool", "other")
        .endMetadata().build());
    JsonNode left = json.readTree(events.readLine());
    assertThat(left.path("type").asText()).isEqualTo("DELETED");
    assertThat(left.path("object").path("metadata").path("name").asText()).isEqualTo("n1");
    watch.body().close();
  }

  @Test
  void discoveryListsTheBuiltInsAndTheInstalledDefinitionBothWays() throws Exception {
    JsonNode groups = get("apis", "application/json");
    assertThat(groups.path("groups").findValuesAsText("name")).contains("apps", "networking.vaclab.org");
    JsonNode bandwidths = get("apis/networking.vaclab.org/v1", "application/json");
    assertThat(bandwidths.path("resources").findValuesAsText("name")).containsExactly("bandwidths",
        "bandwidths/status");
    assertThat(bandwidths.path("resources").get(0).path("shortNames").get(0).asText()).isEqualTo("bw");

    JsonNode aggregated = get("api", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    assertThat(aggregated.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    assertThat(aggregated.path("items").get(0).path("versions").get(0).path("resources").findValuesAsText("resource"))
        .contains("pods", "nodes", "namespaces");
  }

  @Test
  void aTableHasTheDefinitionsPrinterColumnsEvaluatedOnEachObject() throws Exception {
    GenericKubernetesResource bandwidth = new GenericKubernetesResourceBuilder()
        .withApiVersion("networking.vaclab.org/v1").withKind("Bandwidth")
        .withNewMetadata().withName("n1").endMetadata()
        .withAdditionalProperties(Map.of("status", Map.of(
            "summary", Map.of("networkCapacity", "1000/1000", "reservations", 3),
            "conditions", List.of(Map.of("type", "Ready", "status", "True"),
                Map.of("type", "Oversubscribed", "status", "False")))))
        .build();
    client.genericKubernetesResources(BandwidthCrd.CONTEXT).resource(bandwidth).create();
    client.genericKubernetesResources(BandwidthCrd.CONTEXT).withName("n1").updateStatus(bandwidth);

    JsonNode table = get("apis/networking.vaclab.org/v1/bandwidths", "application/json;as=Table;v=v1;g=meta.k8s.io");

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name")).startsWith("Name", "Net-Capacity")
        .contains("Reservations", "Oversubscribed", "Age", "Position");
    JsonNode row = table.path("rows").get(0);
    List<String> columns = table.path("columnDefinitions").findValuesAsText("name");
    assertThat(row.path("cells").get(0).asText()).isEqualTo("n1");
    assertThat(row.path("cells").get(columns.indexOf("Net-Capacity")).asText()).isEqualTo("1000/1000");
    assertThat(row.path("cells").get(columns.indexOf("Reservations")).asLong()).isEqualTo(3);
    assertThat(row.path("cells").get(columns.indexOf("Oversubscribed")).asText()).isEqualTo("False");
    assertThat(row.path("cells").get(columns.indexOf("Net-Used")).isNull()).isTrue();
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
  }

  /** Binds as kube-scheduler's binder does: a Binding to the namespace's bindings. */
  private void bind(String pod, String uid, String node) {
    client.bindings().inNamespace("lab").resource(new BindingBuilder().withNewMetadata().withName(pod).withUid(uid)
        .endMetadata().withNewTarget().withKind("Node").withName(node).endTarget().build()).create();
  }

  @Test
  void pathsOfNoServedResourceAreNotFoundAndNonJsonBodiesAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create(api.url() + "openapi/v2")).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(api.url() + "apis/example.org/v1/gizmos"))
        .build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> protobuf = http.send(HttpRequest.newBuilder(URI.create(api.url() + "api/v1/namespaces"))
        .header("Content-Type", "application/vnd.kubernetes.protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x6b, 0x38, 0x73, 0x00})).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(openapi.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(protobuf.statusCode()).isEqualTo(415);
    assertThat(json.readTree(protobuf.body()).path("message").asText()).contains("reads JSON", "apply -f");
    assertThat(client.namespaces().list().getItems()).isEmpty();
  }

  private JsonNode get(String path, String accept) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api.url() + path))
        .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static io.fabric8.kubernetes.api.model.Node node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static Pod pending(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withSchedulerName("bandwidth-scheduler").endSpec().build();
  }
}
