package org.bwledger.projector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.extender.ExtenderEndpoint;

/** kube-scheduler's HTTP calls to one projector replica's extender. */
public final class ExtenderClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final ProjectorService projector;

  public ExtenderClient(ProjectorService projector) {
    this.projector = projector;
  }

  /** POSTs {@code body} as JSON to the verb; the answer, which must come with a 200. */
  public JsonNode post(String verb, Object body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + projector.extenderPort() + ExtenderEndpoint.PREFIX + "/" + verb))
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
