package org.bwledger.bwctl.options;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.bwledger.runtime.http.TlsSettings;
import picocli.CommandLine.Option;

/** Where a running projector's REST API is and how to be let in: the options of the commands that ask it. */
public final class ProjectorApiOptions {

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:BW_SERVER:-http://127.0.0.1:8080}",
      description = "The projector's REST API (env BW_SERVER, default: ${DEFAULT-VALUE}).")
  URI server;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BW_TOKEN}",
      description = "A bearer token whose user may read bandwidths, e.g. $(kubectl create token NAME) (env BW_TOKEN).")
  String token;

  @Option(names = "--certificate-authority", paramLabel = "FILE", defaultValue = "${env:BW_CA_FILE}",
      description = "The CA (PEM) that signed the API's certificate, for an https --server; without it, the "
          + "JVM's trusted CAs (env BW_CA_FILE).")
  Path certificateAuthority;

  public URI server() {
    return server;
  }

  /** A client that trusts the given CA, if any; one serves every request of a command. */
  public HttpClient client(HttpClient.Version version) throws Exception {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(version);
    if (certificateAuthority != null) {
      builder.sslContext(TlsSettings.trusting(certificateAuthority));
    }
    return builder.build();
  }

  /** A GET of {@code path} on the server, with the token if one is given. */
  public HttpRequest get(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token.strip());
    }
    return request.build();
  }
}
