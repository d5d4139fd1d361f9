package org.bwledger.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.testkit.TestCertificates;
import org.bwledger.testkit.TestCertificates.Issued;
import org.bwledger.testkit.TestCertificates.KeyForm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener that requires client certificates, as the scheduler extender's does: certificates and
 * keys made up here, in the forms Kubernetes Secrets hold them.
 */
class MutualTlsTest {

  @TempDir
  Path dir;

  private TestCertificates ca;
  private Issued server;
  private Router extender;

  @BeforeEach
  void certificates() throws Exception {
    ca = TestCertificates.authority("bwledger", dir.resolve("ca"));
    server = ca.issue("projector", List.of("localhost"), List.of("127.0.0.1"), KeyForm.RSA_PKCS1);
    extender = Router.withTextErrors(Guard.NONE)
        .post("/scheduler/filter", Access.CLIENT_CERTIFICATE, call -> Reply.text(200, "filtered"));
  }

  @Test
  void onlyAClientWithACertificateOfTheConfiguredCaIsServedAndItSpeaksHttp2() throws Exception {
    try (HttpServer listener = HttpServer.start("extender", new HttpSettings("127.0.0.1", 0,
        new TlsSettings(server.certificate(), server.privateKey(), ca.caFile())), HttpServer.Limits.EXTENDER, extender)) {
      URI filter = URI.create("https://localhost:" + listener.port() + "/scheduler/filter");
      Issued scheduler = ca.issue("kube-scheduler", List.of(), List.of(), KeyForm.EC_PKCS8);
      TestCertificates other = TestCertificates.authority("someone-else", dir.resolve("other"));
      Issued stranger = other.issue("stranger", List.of(), List.of(), KeyForm.RSA_PKCS1);

      HttpResponse<String> answer = post(client(scheduler, ca), filter);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("filtered");
      assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);

      assertThatThrownBy(() -> post(client(null, ca), filter)).as("no client certificate").isInstanceOf(IOException.class);
      assertThatThrownBy(() -> post(client(stranger, ca), filter)).as("a certificate of another CA")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void routesThatNeedCredentialsAreNeverOpenBeyondThisMachine() throws Exception {
    assertThatThrownBy(() -> HttpServer.start("extender", HttpSettings.everywhere(0), HttpServer.Limits.EXTENDER,
        extender)).isInstanceOf(IllegalStateException.class).hasMessageContaining("127.0.0.1 only");
    assertThatThrownBy(() -> HttpServer.start("extender", new HttpSettings("0.0.0.0", 0,
        new TlsSettings(server.certificate(), server.privateKey(), null)), HttpServer.Limits.EXTENDER, extender))
        .as("TLS, but no client certificates asked for").isInstanceOf(IllegalStateException.class);
    Router api = Router.withTextErrors(Guard.NONE)
        .get("/api/v1/nodes", new Access.OnResource("list", "networking.vaclab.org", "bandwidths", null),
            call -> Reply.text(200, "nodes"));
    assertThatThrownBy(() -> HttpServer.start("api", HttpSettings.everywhere(0), HttpServer.Limits.API, api))
        .as("--auth=none").isInstanceOf(IllegalStateException.class).hasMessageContaining("--auth=kubernetes");

    try (HttpServer onLoopback = HttpServer.start("api", HttpSettings.loopback(), HttpServer.Limits.API, api)) {
      assertThat(onLoopback.port()).isPositive();
    }
  }

  private static HttpResponse<String> post(HttpClient client, URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A client trusting {@code trusted}, presenting {@code identity} (none when null). */
  private static HttpClient client(Issued identity, TestCertificates trusted) throws Exception {
    SSLContext context = identity == null ? TlsSettings.trusting(trusted.caFile())
        : new TlsSettings(identity.certificate(), identity.privateKey(), trusted.caFile()).sslContext();
    return HttpClient.newBuilder().sslContext(context).build();
  }
}
