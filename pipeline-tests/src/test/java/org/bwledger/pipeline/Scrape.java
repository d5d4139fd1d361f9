package org.bwledger.pipeline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a component served on {@code /metrics} at one moment, as Prometheus reads it: the exposition
 * text of one GET, with no token (the pipeline's tests run their components unguarded).
 *
 * @param exposition the text served
 */
public record Scrape(String exposition) {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Scrapes the component that serves its API and metrics on {@code port} of this host. */
  public static Scrape of(int port) throws IOException, InterruptedException {
    return new Scrape(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Every line of the series named {@code name}, with its labels and value as served. */
  public List<String> series(String name) {
    return exposition.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .toList();
  }

  /**
   * The value of the series {@code name} without labels: the first field after its name (a
   * timestamp may follow). Empty when it is not served.
   */
  public OptionalDouble value(String name) {
    return exposition.lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).strip().split("\\s+")[0]))
        .findFirst();
  }
}
