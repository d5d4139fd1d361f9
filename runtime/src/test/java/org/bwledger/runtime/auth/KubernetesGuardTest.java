package org.bwledger.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.metrics.ProcessMetrics;
import org.bwledger.testkit.MockCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Callers checked as Kubernetes components check them, against an API server that answers
 * TokenReviews and SubjectAccessReviews; the test reads back what the guard asked it.
 */
class KubernetesGuardTest {

  private static final Access GET_NODE = new Access.OnResource("get", "networking.vaclab.org", "bandwidths", "node");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ProcessMetrics metrics = new ProcessMetrics();
  private MockCluster cluster;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    cluster = new MockCluster();
    cluster.acceptToken("token-alice", "alice", "lab");
    cluster.acceptToken("token-bob", "bob");
    cluster.acceptToken("token-prometheus", "system:serviceaccount:monitoring:prometheus");
    cluster.grant("alice", "get", "bandwidths.networking.vaclab.org");
    cluster.grant("system:serviceaccount:monitoring:prometheus", "get", "/metrics");
    Router router = new Router((status, message) -> Reply.text(status, message),
        new KubernetesGuard(cluster.client(), Duration.ofMinutes(1)))
        .get("/api/v1/nodes/{node}", GET_NODE, call -> Reply.text(200, "node " + call.pathParameter("node")))
        .get("/openapi.yaml", Access.OPEN, call -> Reply.text(200, "openapi"));
    server = HttpServer.start("api", HttpSettings.loopback(), HttpServer.Limits.API, metrics.addTo(router));
  }

  @AfterEach
  void stop() {
    server.close();
    cluster.close();
    metrics.close();
  }

  @Test
  void noTokenIs401AnInvalidOne401ADeniedUser403AndAGrantedOne200() throws Exception {
    HttpResponse<String> anonymous = get("/api/v1/nodes/n1", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"bwledger\"");
    assertThat(cluster.reviews()).isEmpty(); // nothing to review

    assertThat(get("/api/v1/nodes/n1", "forged").statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/nodes/n1", "token-bob")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("user \"bob\" may not get bandwidths.networking.vaclab.org n1");
    });
    assertThat(get("/api/v1/nodes/n1", "token-alice").body()).isEqualTo("node n1");
    assertThat(get("/metrics", "token-alice").statusCode()).isEqualTo(403);
    assertThat(get("/metrics", "token-prometheus")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("jvm_memory_used_bytes");
    });
    assertThat(get("/openapi.yaml", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theReviewsAskWhatTheRouteNeedsForTheTokensUserAndAreCachedByToken() throws Exception {
    get("/api/v1/nodes/n7", "token-alice");
    get("/api/v1/nodes/n7", "token-alice");
    get("/metrics", "token-prometheus");

    assertThat(cluster.reviews()).hasSize(4); // one TokenReview and one SubjectAccessReview each, the repeat cached
    TokenReview token = (TokenReview) cluster.reviews().get(0);
    assertThat(token.getSpec().getToken()).isEqualTo("token-alice");
    SubjectAccessReview node = (SubjectAccessReview) cluster.reviews().get(1);
    assertThat(node.getSpec().getUser()).isEqualTo("alice");
    assertThat(node.getSpec().getGroups()).containsExactly("lab");
    assertThat(node.getSpec().getResourceAttributes()).satisfies(attributes -> {
      assertThat(attributes.getVerb()).isEqualTo("get");
      assertThat(attributes.getGroup()).isEqualTo("networking.vaclab.org");
      assertThat(attributes.getResource()).isEqualTo("bandwidths");
      assertThat(attributes.getName()).isEqualTo("n7");
    });
    SubjectAccessReview metricsReview = (SubjectAccessReview) cluster.reviews().get(3);
    assertThat(metricsReview.getSpec().getUser()).isEqualTo("system:serviceaccount:monitoring:prometheus");
    assertThat(metricsReview.getSpec().getNonResourceAttributes().getPath()).isEqualTo("/metrics");
    assertThat(metricsReview.getSpec().getNonResourceAttributes().getVerb()).isEqualTo("get");
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
