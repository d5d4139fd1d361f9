package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.topic.Topic;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The extender over real HTTP, fed the JSON kube-scheduler sends (Go's capitalised field names, a
 * whole v1.Pod, candidates as NodeNames or as a whole NodeList) and read back as it reads answers.
 * Nodes come from states put in the book directly; binds go to a mock API server.
 */
class ExtenderProtocolTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final Topic<String, ClusterEvent> EVENTS = Topics.withPrefix("t.").clusterEvents();

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final PlacementBook book = new PlacementBook();
  private MockCluster cluster;
  private MockProducer<String, ClusterEvent> producer;
  private HttpServer server;
  private SchedulerExtender extender;

  @BeforeEach
  void start() throws Exception {
    cluster = new MockCluster();
    Node broker = new Node(0, "localhost", 9092);
    producer = new MockProducer<>(new Cluster("c", List.of(broker),
        List.of(new PartitionInfo(EVENTS.name(), 0, broker, new Node[] {broker}, new Node[] {broker})), Set.of(), Set.of()),
        true, null, EVENTS.keySerde().serializer(), EVENTS.valueSerde().serializer());
    extender = new SchedulerExtender(book, new PodDemand.Reader(AnnotationKeys.DEFAULT),
        new PodBinder(cluster.client()), new AssumptionLog(producer, EVENTS, "test-extender"),
        Scoring.SIBLINGS_THEN_REMAINING, SchedulingSettings.DEFAULT.schedulerNames(), Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC),
        new SimpleMeterRegistry());
    server = serve(Optional::empty);

    // n1 has 50 Mbit/s of network uplink left; n2 and n3 are empty; n2 holds a sibling of "web".
    book.update("n1", States.node("n1", List.of(States.reservation("other", "lab", "x", null, 950, false))));
    book.update("n2", States.node("n2", List.of(States.reservation("sib", "lab", "web-0", "web", 20, false))));
    book.update("n3", States.node("n3", List.of()));
  }

  @AfterEach
  void stop() {
    server.close();
    cluster.close();
  }

  @Test
  void filterByNodeNamesAnswersASubsetWithGoFieldNamesAndSaysWhyTheOthersFail() throws Exception {
    JsonNode answer = post("filter", """
        {"Pod": %s, "Nodes": null, "NodeNames": ["n1", "n2", "n3"]}""".formatted(pod("p1", "100M", "web")));

    assertThat(answer.get("NodeNames")).isEqualTo(json.readTree("[\"n2\", \"n3\"]"));
    assertThat(answer.get("Nodes").isNull()).isTrue();
    assertThat(answer.get("FailedNodes").get("n1").asText()).isEqualTo("network-ul needs 100 Mbit/s, 50 remain");
    assertThat(answer.get("FailedAndUnresolvableNodes").isEmpty()).isTrue();
    assertThat(answer.get("Error").asText()).isEmpty();
  }

  @Test
  void filterByWholeNodesReturnsTheChosenItemsUntouched() throws Exception {
    String node1 = node("n1");
    String node3 = node("n3");
    JsonNode answer = post("filter", """
        {"Pod": %s, "Nodes": {"metadata": {"resourceVersion": "17"}, "items": [%s, %s]}, "NodeNames": null}"""
        .formatted(pod("p1", "100M", null), node1, node3));

    assertThat(answer.get("NodeNames").isNull()).isTrue();
    assertThat(answer.get("Nodes").get("items")).containsExactly(json.readTree(node3));
    assertThat(answer.get("Nodes").get("metadata")).isEqualTo(json.readTree("{\"resourceVersion\": \"17\"}"));
    assertThat(answer.get("FailedNodes").fieldNames()).toIterable().containsExactly("n1");
  }

  @Test
  void aPodWithoutBandwidthPassesEverywhereAndABadAnnotationFailsEverywhereUnresolvably() throws Exception {
    JsonNode plain = post("filter", """
        {"Pod": %s, "NodeNames": ["n1", "n2", "n3", "unknown"]}""".formatted(pod("p1", null, null)));
    assertThat(plain.get("NodeNames")).hasSize(4);

    JsonNode bad = post("filter", """
        {"Pod": %s, "NodeNames": ["n1", "n3"]}""".formatted(pod("p2", "lots", null)));
    assertThat(bad.get("NodeNames")).isEmpty();
    assertThat(bad.get("FailedNodes").isEmpty()).isTrue();
    assertThat(bad.get("FailedAndUnresolvableNodes").get("n3").asText())
        .startsWith("bandwidth annotations do not parse: kubernetes.io/egress-bandwidth")
        .contains("lots");
  }

  @Test
  void prioritizeScoresEveryCandidateFromZeroToTenSiblingsFirst() throws Exception {
    JsonNode answer = post("prioritize", """
        {"Pod": %s, "Nodes": null, "NodeNames": ["n1", "n2", "n3"]}""".formatted(pod("p1", "100M", "web")));

    assertThat(answer).hasSize(3);
    Map<String, Integer> scores = new HashMap<>();
    answer.forEach(host -> scores.put(host.get("Host").asText(), host.get("Score").asInt()));
    assertThat(scores.values()).allMatch(score -> score >= 0 && score <= ExtenderProtocol.MAX_SCORE);
    assertThat(scores.get("n2")).isGreaterThan(scores.get("n3")); // its sibling is there
    assertThat(scores.get("n3")).isGreaterThan(scores.get("n1")); // more network left
  }

  @Test
  void bindCreatesTheBindingThenRecordsTheAssumptionAndHoldsTheRoom() throws Exception {
    var created = cluster.createPod("lab", "p1", "", "web", Map.of("kubernetes.io/egress-bandwidth", "800M"));
    String uid = created.getMetadata().getUid();
    post("filter", """
        {"Pod": %s, "NodeNames": ["n3"]}""".formatted(json.writeValueAsString(created)));
    cluster.takeRequests();

    JsonNode answer = post("bind", """
        {"PodName": "p1", "PodNamespace": "lab", "PodUID": "%s", "Node": "n3"}""".formatted(uid));

    assertThat(answer.get("Error").asText()).isEmpty();
    assertThat(cluster.takeRequests())
        .containsExactly("GET /api/v1/namespaces/lab/pods/p1", "POST /api/v1/namespaces/lab/bindings");
    assertThat(producer.history()).singleElement().satisfies(record -> {
      assertThat(record.key()).isEqualTo(uid);
      PodAssumed assumed = (PodAssumed) record.value().getPayload();
      assertThat(assumed.getNodeName()).isEqualTo("n3");
      assertThat(assumed.getBandwidthAnnotations()).containsEntry("kubernetes.io/egress-bandwidth", "800M");
      assertThat(assumed.getExpiresAt()).isEqualTo(NOW.plusSeconds(30));
      assertThat(record.timestamp()).isEqualTo(NOW.toEpochMilli());
    });
    assertThat(cluster.client().pods().inNamespace("lab").withName("p1").get().getSpec().getNodeName()).isEqualTo("n3");
    // The published state of n3 does not show the pod yet; the hold does.
    JsonNode next = post("filter", """
        {"Pod": %s, "NodeNames": ["n3"]}""".formatted(pod("p2", "800M", null)));
    assertThat(next.get("FailedNodes").get("n3").asText())
        .isEqualTo("network-ul needs 800 Mbit/s, 200 remain (800 held by binds in flight)");
  }

  @Test
  void aBindingTheApiServerRefusesReleasesItsHold() throws Exception {
    var created = cluster.createPod("lab", "p1", "", null, Map.of("kubernetes.io/egress-bandwidth", "800M"));
    post("filter", """
        {"Pod": %s, "NodeNames": ["n3"]}""".formatted(json.writeValueAsString(created)));
    // Between the extender's read of the pod and its bind, another scheduler binds it elsewhere.
    cluster.bindElsewhereBeforeNextBinding("n2");

    JsonNode answer = post("bind", """
        {"PodName": "p1", "PodNamespace": "lab", "PodUID": "%s", "Node": "n3"}"""
        .formatted(created.getMetadata().getUid()));

    assertThat(answer.get("Error").asText()).startsWith("binding failed").contains("is already assigned to node")
        .doesNotContain("http");
    assertThat(producer.history()).isEmpty();
    assertThat(post("filter", """
        {"Pod": %s, "NodeNames": ["n3"]}""".formatted(pod("p2", "800M", null))).get("NodeNames"))
        .containsExactly(json.getNodeFactory().textNode("n3"));
  }

  @Test
  void bindBelievesOnlyThePodItReadsAndRefusesEveryForgedField() throws Exception {
    var pod = cluster.createPod("lab", "p1", "", null, Map.of("kubernetes.io/egress-bandwidth", "60M"));
    String uid = pod.getMetadata().getUid();
    cluster.createPod("lab", "bound", "n2", null, Map.of("kubernetes.io/egress-bandwidth", "60M"));
    Pod foreign = cluster.client().pods().inNamespace("lab").resource(new PodBuilder()
        .withNewMetadata().withName("foreign").withUid("uid-foreign").endMetadata()
        .withNewSpec().withSchedulerName("default-scheduler").endSpec().build()).create();
    cluster.takeRequests();

    assertThat(bind("lab", "p1", "not-" + uid, "n3")).isEqualTo("409: pod lab/p1 is not the pod of uid not-" + uid
        + " (deleted and created again?)");
    assertThat(bind("lab", "bound", uidOf("bound"), "n3")).isEqualTo("409: pod lab/bound is bound to node n2 already");
    assertThat(bind("lab", "foreign", foreign.getMetadata().getUid(), "n3"))
        .isEqualTo("403: pod lab/foreign is scheduled by default-scheduler, not by bandwidth-scheduler");
    assertThat(bind("lab", "nothere", "uid-x", "n3")).isEqualTo("404: no pod lab/nothere");
    assertThat(cluster.takeRequests()).noneMatch(request -> request.startsWith("POST")); // nothing bound

    for (String[] forged : List.of(new String[] {"lab/pods/x", "p1"}, new String[] {"lab", "a?watch=true#"},
        new String[] {"lab", "../p1"}, new String[] {"lab", "p1#"}, new String[] {"..", "p1"},
        new String[] {"lab", "p1/binding"}, new String[] {"LAB", "p1"})) {
      assertThat(bind(forged[0], forged[1], uid, "n3")).as("%s/%s", forged[0], forged[1])
          .startsWith("400: ").endsWith("is not a name Kubernetes allows");
    }
    assertThat(bind("lab", "p1", uid, "n3/../n1")).isEqualTo("400: Node is not a name Kubernetes allows");
    assertThat(cluster.takeRequests()).isEmpty(); // none of these reached the API server

    // A filter that lies about the pod's demand changes nothing: bind holds what the pod asks.
    post("filter", """
        {"Pod": %s, "NodeNames": ["n3"]}""".formatted(json.writeValueAsString(new PodBuilder(pod).editMetadata()
        .addToAnnotations("kubernetes.io/egress-bandwidth", "999M").endMetadata().build())));
    assertThat(bind("lab", "p1", uid, "n3")).isEqualTo("200: ");
    assertThat(post("filter", """
        {"Pod": %s, "NodeNames": ["n3"]}""".formatted(pod("p2", "980M", null))).get("FailedNodes").get("n3").asText())
        .isEqualTo("network-ul needs 980 Mbit/s, 940 remain (60 held by binds in flight)");
    PodAssumed assumed = (PodAssumed) producer.history().get(0).value().getPayload();
    assertThat(assumed.getBandwidthAnnotations()).containsEntry("kubernetes.io/egress-bandwidth", "60M");
  }

  @Test
  void bindRefusesWhenTheRoomIsGoneAndCreatesNoBinding() throws Exception {
    var created = cluster.createPod("lab", "p1", "", null, Map.of("kubernetes.io/egress-bandwidth", "100M"));
    cluster.takeRequests();

    JsonNode answer = post("bind", """
        {"PodName": "p1", "PodNamespace": "lab", "PodUID": "%s", "Node": "n1"}"""
        .formatted(created.getMetadata().getUid()));

    assertThat(answer.get("Error").asText())
        .isEqualTo("node n1 can no longer take pod lab/p1: network-ul needs 100 Mbit/s, 50 remain");
    assertThat(cluster.takeRequests()).containsExactly("GET /api/v1/namespaces/lab/pods/p1"); // read, not bound
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void aCallPassedOnIsAnsweredWhereItLandsEvenWhenThatReplicaThinksTheOtherDecides() throws Exception {
    // Two replicas that each believe the other holds the Lease, as for a moment during a handover.
    URI[] other = new URI[2];
    HttpServer[] replicas = new HttpServer[2];
    for (int i = 0; i < 2; i++) {
      int peer = 1 - i;
      replicas[i] = serve(() -> Optional.of(other[peer]));
      other[i] = URI.create("http://127.0.0.1:" + replicas[i].port());
    }
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(other[0].resolve(ExtenderEndpoint.PREFIX + "/filter"))
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"Pod": %s, "NodeNames": ["n1", "n3"]}""".formatted(pod("p1", "100M", null)))).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(json.readTree(answer.body()).get("NodeNames")).isEqualTo(json.readTree("[\"n3\"]"));
    } finally {
      replicas[0].close();
      replicas[1].close();
    }
  }

  @Test
  void whileNoReplicaDecidesEveryCallIsRefusedWithWhyEvenOnePassedOn() throws Exception {
    HttpServer replica = serve(() -> {
      throw new ExtenderEndpoint.Unavailable("this projector is taking over deciding");
    });
    try {
      cluster.createPod("lab", "p1", "", null, Map.of("kubernetes.io/egress-bandwidth", "10M"));
      cluster.takeRequests();
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + replica.port() + ExtenderEndpoint.PREFIX + "/bind"))
          .header(ExtenderEndpoint.PASSED_ON, "true")
          .POST(HttpRequest.BodyPublishers.ofString("""
              {"PodName": "p1", "PodNamespace": "lab", "PodUID": "uid-p1", "Node": "n3"}""")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(json.readTree(answer.body()).get("Error").asText()).isEqualTo("this projector is taking over deciding");
      assertThat(cluster.takeRequests()).isEmpty();
      assertThat(book.pendingBinds(NOW)).isZero();
    } finally {
      replica.close();
    }
  }

  @Test
  void malformedRequestsAndUnknownVerbsGetAClearError() throws Exception {
    HttpResponse<String> garbage = send("filter", "{\"Pod\": ");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json.readTree(garbage.body()).get("Error").asText()).startsWith("cannot read the filter request");

    HttpResponse<String> noPod = send("prioritize", "{\"NodeNames\": [\"n1\"]}");
    assertThat(noPod.statusCode()).isEqualTo(400);
    assertThat(json.readTree(noPod.body()).get("Error").asText()).isEqualTo("the prioritize request has no Pod");

    HttpResponse<String> unknown = send("preempt", "{}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json.readTree(unknown.body()).get("Error").asText()).contains("filter, prioritize, bind");
  }

  /** The extender's verbs on a server of their own, deciding where {@code decider} says. */
  private HttpServer serve(Supplier<Optional<URI>> decider) throws Exception {
    return HttpServer.start("extender", HttpSettings.loopback(), HttpServer.Limits.EXTENDER,
        new ExtenderEndpoint(extender, decider, null, json, new SimpleMeterRegistry()).router());
  }

  /** Binds as kube-scheduler would; the answer as {@code STATUS: Error}. */
  private String bind(String namespace, String pod, String uid, String node) throws Exception {
    HttpResponse<String> answer = send("bind", json.writeValueAsString(Map.of(
        "PodName", pod, "PodNamespace", namespace, "PodUID", uid, "Node", node)));
    return answer.statusCode() + ": " + json.readTree(answer.body()).get("Error").asText();
  }

  private String uidOf(String pod) {
    return cluster.client().pods().inNamespace("lab").withName(pod).get().getMetadata().getUid();
  }

  private JsonNode post(String verb, String body) throws Exception {
    HttpResponse<String> response = send(verb, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private HttpResponse<String> send(String verb, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + ExtenderEndpoint.PREFIX + "/" + verb)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A pending pod as kube-scheduler sends it: a whole v1.Pod. */
  private static String pod(String name, String egress, String owner) {
    String annotations = egress == null ? "{}" : "{\"kubernetes.io/egress-bandwidth\": \"" + egress + "\"}";
    String owners = owner == null ? "" : """
        , "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "%s", "uid": "uid-%s",
          "controller": true, "blockOwnerDeletion": true}]""".formatted(owner, owner);
    return """
        {"kind": "Pod", "apiVersion": "v1",
         "metadata": {"name": "%s", "namespace": "lab", "uid": "uid-%s", "resourceVersion": "4711",
           "creationTimestamp": "2026-11-23T09:59:58Z", "labels": {"app": "iperf"}, "annotations": %s%s},
         "spec": {"containers": [{"name": "iperf", "image": "networkstatic/iperf3",
           "resources": {"requests": {"cpu": "100m"}}}], "schedulerName": "bandwidth-scheduler",
           "restartPolicy": "Always"},
         "status": {"phase": "Pending", "qosClass": "Burstable"}}""".formatted(name, name, annotations, owners);
  }

  private static String node(String name) {
    return """
        {"metadata": {"name": "%s", "uid": "node-uid-%s", "labels": {"kubernetes.io/hostname": "%s"}},
         "spec": {"podCIDR": "10.244.1.0/24"},
         "status": {"capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
           "conditions": [{"type": "Ready", "status": "True"}]}}""".formatted(name, name, name);
  }
}
