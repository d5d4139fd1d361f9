package org.bwledger.bwctl.get;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.Call;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.http.TlsSettings;
import org.bwledger.testkit.TestCertificates;
import org.bwledger.testkit.TestCertificates.Issued;
import org.bwledger.testkit.TestCertificates.KeyForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bwctl get} against an API that speaks TLS and wants a token, as a chart's projector does. */
class GetCommandTest {

  private static final String TOKEN = "reader-token-7Qx";

  @TempDir
  Path dir;

  private TestCertificates ca;
  private HttpServer api;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Lets in the one token, as a TokenReview and SubjectAccessReview would a reader's. */
  private static final Guard READERS = new Guard() {
    @Override
    public boolean authenticates() {
      return true;
    }

    @Override
    public Decision check(Call call, Access access) {
      return call.header("Authorization")
          .map(authorization -> authorization.equals("Bearer " + TOKEN) ? Decision.ALLOWED
              : new Decision(403, "not a reader"))
          .orElse(new Decision(401, "a bearer token is needed"));
    }
  };

  @BeforeEach
  void api() throws Exception {
    ca = TestCertificates.authority("bwledger", dir.resolve("ca"));
    Issued serving = ca.issue("projector", List.of("localhost"), List.of(), KeyForm.EC_PKCS8);
    Router routes = new Router((status, message) -> Reply.json(status,
        ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8)), READERS)
        .get("/api/v1/nodes", new Access.OnResource("list", "networking.vaclab.org", "bandwidths", null),
            call -> Reply.json(200, ("{\"items\":[{\"name\":\"node-a\",\"capacity\":{\"network\":{\"ulMbps\":1000,"
                + "\"dlMbps\":1000}},\"reservations\":3,\"oversubscribed\":[]}]}").getBytes(StandardCharsets.UTF_8)));
    api = HttpServer.start("api", new HttpSettings("127.0.0.1", 0,
        new TlsSettings(serving.certificate(), serving.privateKey(), null)), HttpServer.Limits.API, routes);
  }

  @AfterEach
  void close() throws Exception {
    api.close();
  }

  @Test
  void aTokenAndTheCaGetTheTable() {
    assertThat(get("--token", TOKEN, "--certificate-authority", ca.caFile().toString())).isZero();

    assertThat(out.toString()).contains("node-a", "1000/1000");
  }

  @Test
  void withoutTheTokenOrWithAnotherItSaysWhatTheApiSaid() {
    assertThat(get("--certificate-authority", ca.caFile().toString())).isEqualTo(1);
    assertThat(err.toString()).contains("error: 401 a bearer token is needed");

    assertThat(get("--token", "someone-else", "--certificate-authority", ca.caFile().toString())).isEqualTo(1);
    assertThat(err.toString()).contains("error: 403 not a reader");
  }

  @Test
  void aCertificateTheJvmDoesNotTrustIsRefusedWithWhatToDo() {
    assertThat(get("--token", TOKEN)).isEqualTo(1);

    assertThat(err.toString()).contains("no TLS with https://localhost:", "--certificate-authority");
    assertThat(out.toString()).isEmpty();
  }

  private int get(String... options) {
    CommandLine cli = new CommandLine(new GetCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] args = new String[options.length + 2];
    args[0] = "--server";
    args[1] = "https://localhost:" + api.port();
    System.arraycopy(options, 0, args, 2, options.length);
    return cli.execute(args);
  }
}
