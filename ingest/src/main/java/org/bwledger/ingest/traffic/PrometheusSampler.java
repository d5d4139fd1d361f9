package org.bwledger.ingest.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bwledger.schemas.event.InterfaceCounters;

/**
 * Samples what every node carries from a Prometheus that scrapes node-exporter: one query a round
 * for the raw samples of the last two minutes of both byte counters, every node and device at once.
 * Each node's sample is the counters of Prometheus's latest scrape, dated when that scrape read
 * them; a scrape already taken is not taken again.
 */
final class PrometheusSampler implements TrafficSampler.Round {

  /** Raw samples, not a rate: the fold makes the rate, the same way whatever the source. */
  static final String QUERY = "{__name__=~\"node_network_(transmit|receive)_bytes_total\"}[2m]";
  private static final Duration READ_AT_MOST = Duration.ofSeconds(10);

  private final TrafficSettings.Prometheus prometheus;
  private final TrafficSettings settings;
  private final TrafficLog samples;
  private final String source;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(READ_AT_MOST).build();
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Instant> taken = new HashMap<>();

  PrometheusSampler(TrafficSettings.Prometheus prometheus, TrafficSettings settings, TrafficLog samples) {
    this.prometheus = prometheus;
    this.settings = settings;
    this.samples = samples;
    this.source = "prometheus " + prometheus.url();
  }

  @Override
  public String describe() {
    return source + " (nodes by label " + prometheus.nodeLabel() + ")";
  }

  @Override
  public void sampleEveryNode() {
    JsonNode result;
    try {
      result = query();
    } catch (IOException | IllegalStateException e) {
      taken.keySet().forEach(node -> samples.unreadable(node, source, e.getMessage()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Map<String, Scrape> scrapes = scrapes(result);
    scrapes.forEach((node, scrape) -> {
      if (!scrape.at.equals(taken.get(node))) {
        taken.put(node, scrape.at);
        samples.sampled(node, scrape.at, source, scrape.interfaces());
      }
    });
    samples.found(scrapes.keySet(), source);
    taken.keySet().retainAll(scrapes.keySet());
  }

  private JsonNode query() throws IOException, InterruptedException {
    URI uri = URI.create(prometheus.url().toString().replaceAll("/+$", "") + "/api/v1/query?query="
        + URLEncoder.encode(QUERY, StandardCharsets.UTF_8));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(READ_AT_MOST).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = json.readTree(response.body());
    if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
      throw new IllegalStateException("HTTP " + response.statusCode() + ": " + body.path("error").asText(response.body()));
    }
    return body.path("data").path("result");
  }

  /** One node's latest scrape: when, and each counted device's counters. */
  private static final class Scrape {
    Instant at = Instant.EPOCH;
    final Map<String, long[]> devices = new TreeMap<>();

    List<InterfaceCounters> interfaces() {
      List<InterfaceCounters> interfaces = new ArrayList<>();
      devices.forEach((name, both) -> {
        if (both[0] >= 0 && both[1] >= 0) {
          interfaces.add(new InterfaceCounters(name, both[0], both[1]));
        }
      });
      return interfaces;
    }
  }

  /** Each node's latest values, by the node label; series without it, or of a device not counted, left out. */
  private Map<String, Scrape> scrapes(JsonNode series) {
    Map<String, Scrape> scrapes = new TreeMap<>();
    for (JsonNode one : series) {
      JsonNode metric = one.path("metric");
      String node = metric.path(prometheus.nodeLabel()).asText("");
      String device = metric.path("device").asText("");
      JsonNode values = one.path("values");
      if (node.isEmpty() || !settings.counts(device) || values.isEmpty()) {
        continue;
      }
      JsonNode last = values.get(values.size() - 1);
      Instant at = Instant.ofEpochMilli(Math.round(last.get(0).asDouble() * 1000));
      long bytes = (long) Double.parseDouble(last.get(1).asText());
      Scrape scrape = scrapes.computeIfAbsent(node, n -> new Scrape());
      scrape.at = at.isAfter(scrape.at) ? at : scrape.at;
      scrape.devices.computeIfAbsent(device, d -> new long[] {-1, -1})
          [metric.path("__name__").asText().contains("transmit") ? 0 : 1] = bytes;
    }
    return scrapes;
  }
}
