package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of malformed requests, generated from a seed, against a running projector's REST API
 * and scheduler extender: every one gets a 4xx saying what is wrong, never a 5xx.
 */
@WithKafka
class MalformedRequestsTest {

  private static final long SEED = 20261130;
  private static final int REQUESTS = 3_000;
  private static final String PREFIX = "fuzz.";
  private static final List<String> VALUES = List.of("", "null", "0", "-1", "1e400", "9223372036854775808", "true",
      "[]", "{}", "\"x\"", "[null]", "\"\\u0000\"", "\"名前\"", "\"" + "a".repeat(5_000) + "\"", "{\"a\": [[[[[]]]]]}");
  private static final List<String> TIMES = List.of("-999999999-01-01T00:00Z", "+999999999-12-31T23:59:59Z",
      "1969-12-31T23:59:59Z", "2026-13-45T99:99:99Z", "2026-11-23", "now", "%zz", "2026-11-23T10:15:30+01:00",
      "2026-11-23T10:15:30Z", "", "9999-12-31T23:59:59Z", "10000-01-01T00:00Z");

  @TempDir
  Path stateDir;

  @Test
  void noMalformedRequestGetsA5xx(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 2);
    NodeBandwidth n1 = States.node("n1", List.of(States.reservation("u1", "lab", "p1", "web", 100, false)));
    n1.setUpdatedAt(Instant.now().minusSeconds(60));
    TestProjectors.publish(kafka, topics, List.of(n1));
    try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient();
         ProjectorService projector = new ProjectorService(TestProjectors.config(kafka, PREFIX, PREFIX + "projector",
             stateDir, 2, 50, SchedulingSettings.DEFAULT), client, Guard.NONE, Clock.systemUTC())) {
      projector.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> projector.health().ready()
          && projector.decidesExtenderCalls() && projector.queries().latest("n1").isPresent());
      cluster.createPod("lab", "p2", "", null, Map.of("kubernetes.io/egress-bandwidth", "10M"));

      Random random = new Random(SEED);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String api = "http://127.0.0.1:" + projector.listeners().apiPort();
      String extender = "http://127.0.0.1:" + projector.extenderPort();
      List<String> fivexx = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        HttpRequest request = i % 2 == 0 ? restRequest(random, api) : extenderRequest(random, extender);
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 500) {
          fivexx.add(answer.statusCode() + " " + request.method() + " " + request.uri() + ": " + answer.body());
        }
      }

      assertThat(fivexx).as("5xx answers to malformed requests (seed %d)", SEED).isEmpty();
    }
  }

  private static HttpRequest restRequest(Random random, String api) {
    String node = pick(random, List.of("n1", "nowhere", "%2e%2e", "a%20b", "x".repeat(300), "名前", "-"));
    String path = switch (random.nextInt(6)) {
      case 0 -> "/api/v1/nodes/" + node + "?at=" + encode(pick(random, TIMES));
      case 1 -> "/api/v1/nodes/" + node + "/history?from=" + encode(pick(random, TIMES)) + "&to="
          + encode(pick(random, TIMES));
      case 2 -> "/api/v1/namespaces/" + node + "/pods/" + node + "/reservation";
      case 3 -> "/api/v1/nodes?" + encode(pick(random, VALUES)) + "=" + encode(pick(random, VALUES));
      case 4 -> "/api/v1/" + node + "/" + node + "/" + node;
      default -> "/" + encode(pick(random, VALUES));
    };
    String method = pick(random, List.of("GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH"));
    return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.ofString(pick(random, VALUES))).build();
  }

  private static HttpRequest extenderRequest(Random random, String extender) {
    String verb = pick(random, List.of("filter", "prioritize", "bind", "filter", "preempt", ""));
    String body = switch (random.nextInt(4)) {
      case 0 -> mutate(random, """
          {"Pod": {"metadata": {"name": "p2", "namespace": "lab", "uid": "u2",
             "annotations": {"kubernetes.io/egress-bandwidth": %s}}}, "NodeNames": %s}""");
      case 1 -> mutate(random, """
          {"Pod": %s, "Nodes": {"items": [{"metadata": {"name": %s}}, %s]}, "NodeNames": %s}""");
      case 2 -> mutate(random, """
          {"PodName": %s, "PodNamespace": %s, "PodUID": %s, "Node": %s}""");
      default -> pick(random, VALUES);
    };
    if (random.nextInt(10) == 0) {
      body = body.substring(0, random.nextInt(body.length() + 1)); // cut off
    }
    return HttpRequest.newBuilder(URI.create(extender + "/scheduler/" + verb)).timeout(Duration.ofSeconds(10))
        .method(pick(random, List.of("POST", "POST", "POST", "GET")), HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Fills each {@code %s} of {@code template} with a value of any JSON type, or a plausible one. */
  private static String mutate(Random random, String template) {
    List<Object> values = new ArrayList<>();
    int holes = template.split("%s", -1).length - 1;
    for (int i = 0; i < holes; i++) {
      values.add(random.nextBoolean() ? pick(random, VALUES)
          : pick(random, List.of("\"10M\"", "\"lots\"", "[\"n1\"]", "[\"n1\", null]", "\"lab\"", "\"n1\"", "\"p2\"",
              "\"u2\"", "\"../n1\"", "{\"metadata\": {}}", "{\"metadata\": {\"uid\": \"u2\"}}")));
    }
    return template.formatted(values.toArray());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
