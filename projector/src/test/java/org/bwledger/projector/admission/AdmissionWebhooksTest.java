package org.bwledger.projector.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.TlsSettings;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.testkit.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admission webhooks over real HTTPS, sent {@code AdmissionReview} v1 JSON as the API server
 * sends it: what each refuses and why, the toleration patch, and what a malformed review gets.
 */
class AdmissionWebhooksTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EGRESS = "kubernetes.io/egress-bandwidth";

  @TempDir
  static Path dir;

  private static final List<NodeBandwidth> NODES = new ArrayList<>();
  private static HttpServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates ca = TestCertificates.authority("bwledger", dir.resolve("ca"));
    TestCertificates.Issued serving = ca.issue("bwledger-projector", List.of("bwledger-projector.bwledger.svc"),
        List.of("127.0.0.1"), TestCertificates.KeyForm.EC_PKCS8);
    PodAdmission admission = new PodAdmission(new PodDemand.Reader(AnnotationKeys.DEFAULT), () -> List.copyOf(NODES));
    server = HttpServer.start("admission-test", new HttpSettings("127.0.0.1", 0,
        new TlsSettings(serving.certificate(), serving.privateKey(), null)), HttpServer.Limits.ADMISSION,
        new AdmissionEndpoint(admission, JSON, new SimpleMeterRegistry()).router());
    client = HttpClient.newBuilder().sslContext(TlsSettings.trusting(ca.caFile())).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void twoNodes() {
    NODES.clear();
    NODES.add(node("small", 1_000));
    NODES.add(node("large", 10_000));
  }

  @Test
  void aBadAnnotationIsRefusedWithTheReasonTheFoldWouldGive() throws Exception {
    ObjectNode review = review(pod(Map.of(EGRESS, "10Mbps")));

    JsonNode answer = post(AdmissionEndpoint.VALIDATE, review.toString()).path("response");

    assertThat(answer.path("uid").asText()).isEqualTo(review.at("/request/uid").asText());
    assertThat(answer.path("allowed").asBoolean()).isFalse();
    assertThat(answer.at("/status/code").asInt()).isEqualTo(403);
    assertThat(answer.at("/status/message").asText()).contains("bandwidth annotations do not parse",
        "\"10Mbps\" is not a Kubernetes quantity");
    assertThat(answer.has("patch")).isFalse();
  }

  @Test
  void aPodWithOnlyAGeneratedNameToComeIsReviewedAllTheSame() throws Exception {
    Pod generated = new PodBuilder(pod(Map.of(EGRESS, "-5M"))).editMetadata().withName(null)
        .withGenerateName("iperf-").endMetadata().build();

    JsonNode answer = post(AdmissionEndpoint.VALIDATE, review(generated).toString()).path("response");

    assertThat(answer.path("allowed").asBoolean()).isFalse();
    assertThat(answer.at("/status/message").asText()).contains("\"-5M\"");
  }

  @Test
  void aGoodAnnotationAndNoneAtAllAreAllowed() throws Exception {
    for (Map<String, String> annotations : List.of(Map.of(EGRESS, "100M"), Map.<String, String>of())) {
      JsonNode answer = post(AdmissionEndpoint.VALIDATE, review(pod(annotations)).toString()).path("response");
      assertThat(answer.path("allowed").asBoolean()).as(annotations.toString()).isTrue();
      assertThat(answer.has("status")).isFalse();
    }
  }

  @Test
  void aPodWithoutAnnotationsGetsTheTolerationAndKeepsItsOwn() throws Exception {
    Pod bare = pod(Map.of());
    Pod tolerant = new PodBuilder(pod(Map.of())).editSpec().addNewToleration().withKey("gpu").withOperator("Exists")
        .withEffect("NoSchedule").endToleration().endSpec().build();

    for (Pod pod : List.of(bare, tolerant)) {
      JsonNode answer = post(AdmissionEndpoint.TOLERATE, review(pod).toString()).path("response");
      assertThat(answer.path("allowed").asBoolean()).isTrue();
      assertThat(answer.path("patchType").asText()).isEqualTo("JSONPatch");
      JsonNode patch = JSON.readTree(Base64.getDecoder().decode(answer.path("patch").asText()));
      JsonNode patched = JsonPatch.apply(patch, JSON.valueToTree(pod));
      assertThat(patched.at("/spec/tolerations")).contains(JSON.readTree(
          "{\"key\":\"scheduling.vaclab.org/bandwidth-fit\",\"operator\":\"Equal\",\"value\":\"false\","
              + "\"effect\":\"NoSchedule\"}"));
      assertThat(patched.at("/spec/tolerations").size())
          .isEqualTo(pod.getSpec().getTolerations().size() + 1);
    }
  }

  @Test
  void aPodThatAsksForBandwidthOrAlreadyToleratesTheTaintIsLeftAlone() throws Exception {
    Pod declares = pod(Map.of(EGRESS, "100M"));
    Pod toleratesAll = new PodBuilder(pod(Map.of())).editSpec().addNewToleration().withOperator("Exists")
        .endToleration().endSpec().build();

    for (Pod pod : List.of(declares, toleratesAll)) {
      JsonNode answer = post(AdmissionEndpoint.TOLERATE, review(pod).toString()).path("response");
      assertThat(answer.path("allowed").asBoolean()).isTrue();
      assertThat(answer.has("patch")).isFalse();
      assertThat(answer.has("patchType")).isFalse();
    }
  }

  @Test
  void fitsRefusesAPodNoNodeHasTheNetworkFor() throws Exception {
    JsonNode roomy = post(AdmissionEndpoint.FITS, review(pod(Map.of(EGRESS, "5G"))).toString()).path("response");
    JsonNode huge = post(AdmissionEndpoint.FITS, review(pod(Map.of(EGRESS, "20G"))).toString()).path("response");
    JsonNode typo = post(AdmissionEndpoint.FITS, review(pod(Map.of(EGRESS, "fast"))).toString()).path("response");

    assertThat(roomy.path("allowed").asBoolean()).isTrue();
    assertThat(huge.path("allowed").asBoolean()).isFalse();
    assertThat(huge.at("/status/message").asText()).contains("20000/0", "the largest is 10000/10000 over 2 nodes");
    assertThat(typo.path("allowed").asBoolean()).isFalse();
    NODES.clear(); // books not read yet: nothing is refused for capacity
    assertThat(post(AdmissionEndpoint.FITS, review(pod(Map.of(EGRESS, "20G"))).toString())
        .at("/response/allowed").asBoolean()).isTrue();
  }

  @Test
  void malformedReviewsAreErrorsAndTheWebhookGoesOnAnswering() throws Exception {
    ObjectNode noUid = review(pod(Map.of()));
    ((ObjectNode) noUid.path("request")).remove("uid");
    ObjectNode beta = review(pod(Map.of())).put("apiVersion", "admission.k8s.io/v1beta1");
    ObjectNode notAPod = review(pod(Map.of()));
    ((ObjectNode) notAPod.path("request")).putObject("object").put("spec", "not a pod spec");

    for (String body : List.of("", "not json", "[1, 2]", "{}", noUid.toString(), beta.toString(), notAPod.toString())) {
      HttpResponse<String> answer = send(AdmissionEndpoint.VALIDATE, body);
      assertThat(answer.statusCode()).as(body).isEqualTo(400);
      assertThat(JSON.readTree(answer.body()).path("error").asText()).as(body).isNotEmpty();
    }
    ObjectNode node = review(pod(Map.of(EGRESS, "10Mbps")));
    ((ObjectNode) node.at("/request/kind")).put("kind", "Node");
    assertThat(post(AdmissionEndpoint.VALIDATE, node.toString()).at("/response/allowed").asBoolean()).isTrue();
    assertThat(post(AdmissionEndpoint.VALIDATE, review(pod(Map.of(EGRESS, "10Mbps"))).toString())
        .at("/response/allowed").asBoolean()).isFalse();
  }

  /** A CREATE review of {@code pod}, as the API server sends it. */
  private static ObjectNode review(Pod pod) {
    ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString())
        .put("operation", "CREATE").put("namespace", "lab");
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.putObject("userInfo").put("username", "kubernetes-admin");
    request.set("object", JSON.valueToTree(pod));
    request.putNull("oldObject");
    return review;
  }

  private static Pod pod(Map<String, String> annotations) {
    return new PodBuilder().withNewMetadata().withName("iperf").withNamespace("lab").withAnnotations(annotations)
        .endMetadata().withNewSpec().addNewContainer().withName("iperf").withImage("networkstatic/iperf3")
        .endContainer().withTolerations(new ArrayList<>()).endSpec().build();
  }

  private static NodeBandwidth node(String name, long networkMbps) {
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, networkMbps, networkMbps);
    return new NodeBandwidth(name, null, capacity, new LinkFigures(0L, 0L, 0L, 0L), capacity, List.of(), List.of(),
        null, Instant.EPOCH, "e-0", null);
  }

  private static JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> answer = send(path, body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode review = JSON.readTree(answer.body());
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    return review;
  }

  private static HttpResponse<String> send(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
