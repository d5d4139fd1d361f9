package org.bwledger.bwctl.get;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.bwctl.options.ProjectorApiOptions;
import org.bwledger.bwctl.output.BandwidthTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bwctl get}: asks a running projector's REST API and prints what it says, as kubectl would. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Prints the nodes a running projector holds as a table, or one node with its reservations, "
        + "now or --at a past time.")
public final class GetCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "One node, with its reservations.")
  String node;

  @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
      description = "What NODE held at this ISO-8601 time, e.g. 2026-11-23T10:15:30Z.")
  Instant at;

  @Mixin
  ProjectorApiOptions api;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Format output;

  enum Format { table, json }

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (at != null && node == null) {
      err.println("--at needs a NODE: the API keeps each node's history");
      return 2;
    }
    String path = node == null ? "/api/v1/nodes"
        : "/api/v1/nodes/" + encode(node) + (at == null ? "" : "?at=" + encode(at.toString()));
    HttpResponse<String> response;
    try {
      response = api.client(HttpClient.Version.HTTP_2).send(api.get(path), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      err.println("no projector answers at " + api.server() + " (start one with bwctl run, or set --server)");
      return 1;
    } catch (SSLException e) {
      err.println("no TLS with " + api.server() + ": " + e.getMessage() + " (--certificate-authority names the CA "
          + "that signed its certificate)");
      return 1;
    }
    if (response.statusCode() != 200) {
      err.println("error: " + response.statusCode() + " " + reason(response.body()));
      return 1;
    }
    JsonNode body = json.readTree(response.body());
    if (output == Format.json) {
      out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } else {
      out.print(node == null ? nodes(body) : node(body));
    }
    out.flush();
    return 0;
  }

  /** The API's {"error": …}, or the body as it came from whatever else answered. */
  private String reason(String body) {
    try {
      return json.readTree(body).path("error").asText(body);
    } catch (JsonProcessingException e) {
      return body;
    }
  }

  private static String nodes(JsonNode list) {
    boolean measured = false;
    for (JsonNode item : list.path("items")) {
      measured |= item.has("measured");
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(header(measured));
    for (JsonNode item : list.path("items")) {
      List<String> row = new ArrayList<>(List.of(item.path("name").asText(), pair(item.path("capacity").path("network")),
          pair(item.path("used").path("network")), pair(item.path("remaining").path("network")),
          pair(item.path("used").path("local")), item.path("reservations").asText(),
          item.path("oversubscribed").isEmpty() ? "False" : "True"));
      if (measured) {
        row.add(item.path("measured").asText("<none>"));
      }
      rows.add(row);
    }
    return BandwidthTable.pad(rows);
  }

  /** The table's columns, with MEASURED when there is traffic to show. */
  private static List<String> header(boolean measured) {
    List<String> header = new ArrayList<>(BandwidthTable.HEADER);
    if (measured) {
      header.add("MEASURED");
    }
    return header;
  }

  private static String node(JsonNode bandwidth) {
    JsonNode status = bandwidth.path("status");
    boolean measured = status.has("traffic");
    List<List<String>> header = new ArrayList<>();
    header.add(header(measured));
    List<String> row = new ArrayList<>(List.of(bandwidth.path("metadata").path("name").asText(),
        pair(status.path("capacity").path("network")), pair(status.path("used").path("network")),
        pair(status.path("remaining").path("network")), pair(status.path("used").path("local")),
        String.valueOf(status.path("reservations").size()),
        "Oversubscribed".equals(status.path("status").asText()) ? "True" : "False"));
    if (measured) {
      row.add(status.path("summary").path("measured").asText());
    }
    header.add(row);
    List<List<String>> reservations = new ArrayList<>();
    reservations.add(List.of("NAMESPACE", "POD", "OWNER", "LOCAL", "NETWORK", "STATE", "REASON"));
    for (JsonNode r : status.path("reservations")) {
      String owner = r.path("deploymentType").asText().isEmpty() ? "<none>"
          : r.path("deploymentType").asText() + "/" + r.path("deploymentName").asText();
      reservations.add(List.of(r.path("namespace").asText(), r.path("podName").asText(), owner,
          pair(r.path("bandwidth").path("local")), pair(r.path("bandwidth").path("network")),
          r.path("state").asText(), r.path("reason").asText("")));
    }
    return BandwidthTable.pad(header) + "\nas of " + status.path("updatedAt").asText() + " (event "
        + status.path("ledgerPosition").asText() + ")\n\n" + BandwidthTable.pad(reservations);
  }

  private static String pair(JsonNode link) {
    return link.path("ulMbps").asText() + "/" + link.path("dlMbps").asText();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
