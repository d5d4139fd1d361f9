package org.bwledger.projector.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.KubernetesGuard;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the projector's API and its metrics, asked with no token, with a token whose user
 * may not, and with one whose user may, against a running projector checking callers with
 * TokenReviews and SubjectAccessReviews; the probes and the API's description stay open.
 */
@WithKafka
class ApiAccessTest {

  private static final String PREFIX = "access.";
  /** Each route, and what its SubjectAccessReview asks: {@code verb target [name]}. */
  private static final List<String[]> ROUTES = List.of(
      new String[] {"/api/v1/nodes", "list bandwidths.networking.vaclab.org"},
      new String[] {"/api/v1/nodes/n1", "get bandwidths.networking.vaclab.org n1"},
      new String[] {"/api/v1/nodes/n1?at=2026-11-23T10:00:00Z", "get bandwidths.networking.vaclab.org n1"},
      new String[] {"/api/v1/nodes/n1/history", "get bandwidths.networking.vaclab.org n1"},
      new String[] {"/api/v1/namespaces/lab/pods/p1/reservation", "list bandwidths.networking.vaclab.org"},
      new String[] {"/api/v1/summary", "list bandwidths.networking.vaclab.org"},
      new String[] {"/metrics", "get /metrics"});

  @TempDir
  Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyRouteIs401WithoutAToken403WhenDeniedAnd200WhenGranted(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.createTopics(topics, 2);
    TestProjectors.publish(kafka, topics, List.of(node("n1")));
    try (MockCluster cluster = new MockCluster(); KubernetesClient client = cluster.newClient();
         ProjectorService projector = new ProjectorService(TestProjectors.config(kafka, PREFIX, PREFIX + "projector",
             stateDir, 2, 50, SchedulingSettings.DEFAULT), client,
             new KubernetesGuard(cluster.client(), Duration.ofSeconds(10)), Clock.systemUTC())) {
      cluster.acceptToken("token-reader", "reader", "lab-readers");
      cluster.acceptToken("token-student", "student");
      for (String grant : List.of("list bandwidths.networking.vaclab.org", "get bandwidths.networking.vaclab.org",
          "get /metrics")) {
        cluster.grant("reader", grant.split(" ")[0], grant.split(" ")[1]);
      }
      projector.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> projector.health().ready()
          && projector.queries().latest("n1").isPresent());
      String api = "http://127.0.0.1:" + projector.listeners().apiPort();

      for (String[] route : ROUTES) {
        assertThat(status(api + route[0], null)).as("%s without a token", route[0]).isEqualTo(401);
        assertThat(status(api + route[0], "token-student")).as("%s denied", route[0]).isEqualTo(403);
        int granted = status(api + route[0], "token-reader");
        assertThat(granted).as("%s granted", route[0]).isIn(200, 404); // a pod without reservation is a 404
      }
      assertThat(status(api + "/openapi.yaml", null)).isEqualTo(200);
      assertThat(status("http://127.0.0.1:" + projector.listeners().probePort() + "/readyz", null)).isEqualTo(200);

      List<String> asked = cluster.reviews().stream().filter(SubjectAccessReview.class::isInstance)
          .map(SubjectAccessReview.class::cast).map(ApiAccessTest::asked).distinct().toList();
      assertThat(asked).containsExactlyInAnyOrder(
          "student list bandwidths.networking.vaclab.org", "reader list bandwidths.networking.vaclab.org",
          "student get bandwidths.networking.vaclab.org n1", "reader get bandwidths.networking.vaclab.org n1",
          "student get /metrics", "reader get /metrics");
    }
  }

  private int status(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String asked(SubjectAccessReview review) {
    var resource = review.getSpec().getResourceAttributes();
    var path = review.getSpec().getNonResourceAttributes();
    return review.getSpec().getUser() + " " + (resource != null
        ? resource.getVerb() + " " + resource.getResource() + "." + resource.getGroup()
            + (resource.getName() == null ? "" : " " + resource.getName())
        : path.getVerb() + " " + path.getPath());
  }

  private static NodeBandwidth node(String name) {
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L);
    return NodeBandwidth.newBuilder().setNode(name).setSpec(null).setCapacity(capacity)
        .setUsed(new LinkFigures(0L, 0L, 0L, 0L)).setRemaining(capacity).setReservations(List.of())
        .setUpdatedAt(Instant.now().minusSeconds(60)).setLastEventId("e-1").build();
  }
}
