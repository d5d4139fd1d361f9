package org.bwledger.projector.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's files over HTTP: where they are, what they are, and what they may load. */
class DashboardTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.start("dashboard-test", new HttpSettings("127.0.0.1", 0), HttpServer.Limits.API,
        Dashboard.addTo(Router.withTextErrors(Guard.NONE)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void thePageItsScriptAndItsChartingLibraryAreServedFromThisProcessOnly() throws Exception {
    HttpResponse<String> page = get("/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
        assertThat(policy).contains("default-src 'self'"));
    assertThat(page.body()).contains("src=\"vendor/uPlot.iife.min.js\"", "src=\"app.js\"").doesNotContain("http");

    assertThat(get("/ui/app.js").body()).contains("/api/v1/nodes");
    HttpResponse<String> uplot = get("/ui/vendor/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(uplot.body()).contains("uPlot");
    assertThat(get("/ui/vendor/uPlot.min.css").statusCode()).isEqualTo(200);
  }

  @Test
  void uiWithoutItsSlashIsRedirectedAndUnknownFilesAreNotFound() throws Exception {
    HttpResponse<String> bare = get("/ui");
    assertThat(bare.statusCode()).isEqualTo(308);
    assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");
    assertThat(get("/ui/../openapi.yaml").statusCode()).isIn(400, 404);
    assertThat(get("/ui/secrets.txt").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
