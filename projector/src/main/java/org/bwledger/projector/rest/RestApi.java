package org.bwledger.projector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bwledger.projector.crd.BandwidthObjects;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projector's HTTP API (DESIGN §6), JSON, described by {@code /openapi.yaml}: nodes, one node now
 * or {@code ?at=} a past time, a node's history, a pod's reservation, a cluster summary, and the
 * probes and metrics.
 */
public final class RestApi implements AutoCloseable {

  /**
   * What the probes report.
   *
   * @param live false when the process should be restarted
   * @param ready false while the stores are not caught up, with why
   */
  public record Health(boolean live, boolean ready, String reason) {}

  private static final Logger log = LoggerFactory.getLogger(RestApi.class);
  private static final String JSON = "application/json";

  static {
    // Without TCP_NODELAY the JDK's server sends headers and body in two small packets, and Nagle's
    // algorithm with delayed ACKs holds every keep-alive response back by some 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final NodeQueries queries;
  private final Supplier<Health> health;
  private final PrometheusMeterRegistry metrics;
  private final ObjectMapper json;
  private final BandwidthObjects objects;
  private final Clock clock;
  private final Map<String, Timer> latency = new HashMap<>();
  private final byte[] openApi;
  private final AtomicLong changes = new AtomicLong();
  private final CachedAnswer cachedList = new CachedAnswer();
  private final CachedAnswer cachedSummary = new CachedAnswer();

  /** An answer computed from every node, valid until the next change; computed once however many ask. */
  private static final class CachedAnswer {
    private long version = -1;
    private byte[] body;

    synchronized byte[] get(long current, Supplier<byte[]> compute) {
      if (version != current) {
        body = compute.get();
        version = current;
      }
      return body;
    }
  }

  public RestApi(String host, int port, int threadCount, NodeQueries queries, Supplier<Health> health,
      PrometheusMeterRegistry metrics, ObjectMapper json, Clock clock) throws IOException {
    this.queries = queries;
    this.health = health;
    this.metrics = metrics;
    this.json = json;
    this.objects = new BandwidthObjects(json);
    this.clock = clock;
    try (InputStream in = RestApi.class.getResourceAsStream("/openapi.yaml")) {
      this.openApi = in.readAllBytes();
    }
    for (String route : List.of("nodes", "node", "node-at", "history", "reservation", "summary")) {
      latency.put(route, timer(metrics, route));
    }
    server = HttpServer.create(new InetSocketAddress(host, port), 128);
    threads = Executors.newFixedThreadPool(threadCount, runnable -> new Thread(runnable, "bwledger-rest"));
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Serves {@code handler} at {@code path} and below, beside the API (the scheduler extender). */
  public void mount(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** A node changed: answers computed from every node must be computed again. */
  public void nodeChanged() {
    changes.incrementAndGet();
  }

  /** Stops taking requests and lets those under way finish, for a second at most. */
  @Override
  public void close() {
    server.stop(1);
    threads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, JSON, error(405, "only GET is served"));
        return;
      }
      URI uri = exchange.getRequestURI();
      List<String> path = segments(uri.getRawPath());
      Map<String, String> query = parameters(uri.getRawQuery());
      try {
        route(exchange, path, query);
      } catch (ApiError e) {
        send(exchange, e.status(), JSON, error(e.status(), e.getMessage()));
      } catch (NodeQueries.NotReadyException e) {
        send(exchange, 503, JSON, error(503, e.getMessage()));
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", uri, e.toString());
        send(exchange, 500, JSON, error(500, e.toString()));
      }
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, List<String> path, Map<String, String> query) throws IOException {
    if (path.equals(List.of("healthz"))) {
      Health now = health.get();
      send(exchange, now.live() ? 200 : 503, "text/plain", bytes(now.live() ? "ok\n" : "not live: " + now.reason() + "\n"));
    } else if (path.equals(List.of("readyz"))) {
      Health now = health.get();
      send(exchange, now.ready() ? 200 : 503, "text/plain", bytes(now.ready() ? "ok\n" : "not ready: " + now.reason() + "\n"));
    } else if (path.equals(List.of("metrics"))) {
      send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", bytes(metrics.scrape()));
    } else if (path.equals(List.of("openapi.yaml"))) {
      send(exchange, 200, "application/yaml", openApi);
    } else if (path.size() >= 3 && path.subList(0, 2).equals(List.of("api", "v1"))) {
      api(exchange, path.subList(2, path.size()), query);
    } else {
      throw ApiError.notFound("no such path; see /openapi.yaml");
    }
  }

  private void api(HttpExchange exchange, List<String> path, Map<String, String> query) throws IOException {
    if (path.equals(List.of("nodes"))) {
      timedFromAll("nodes", exchange, cachedList, this::nodeList);
    } else if (path.size() == 2 && path.get(0).equals("nodes")) {
      String node = path.get(1);
      if (query.containsKey("at")) {
        Instant at = instant("at", query.get("at"));
        timed("node-at", exchange, () -> objects.bandwidth(queries.at(node, at)
            .orElseThrow(() -> ApiError.notFound("node '" + node + "' had no state at " + at))));
      } else {
        timed("node", exchange, () -> objects.bandwidth(queries.latest(node)
            .orElseThrow(() -> ApiError.notFound("no node '" + node + "'"))));
      }
    } else if (path.size() == 3 && path.get(0).equals("nodes") && path.get(2).equals("history")) {
      String node = path.get(1);
      Instant to = query.containsKey("to") ? instant("to", query.get("to")) : clock.instant();
      Instant from = query.containsKey("from") ? instant("from", query.get("from")) : Instant.EPOCH;
      if (from.isAfter(to)) {
        throw ApiError.badParameter("from", query.get("from"), "is after 'to' (" + to + ")");
      }
      timed("history", exchange, () -> history(node, from, to));
    } else if (path.size() == 5 && path.get(0).equals("namespaces") && path.get(2).equals("pods")
        && path.get(4).equals("reservation")) {
      timed("reservation", exchange, () -> reservation(path.get(1), path.get(3)));
    } else if (path.equals(List.of("summary"))) {
      timedFromAll("summary", exchange, cachedSummary, this::summary);
    } else {
      throw ApiError.notFound("no such path; see /openapi.yaml");
    }
  }

  private ObjectNode nodeList(List<NodeBandwidth> nodes) {
    ObjectNode list = json.createObjectNode();
    ArrayNode items = list.putArray("items");
    for (NodeBandwidth node : nodes) {
      ObjectNode item = items.addObject();
      item.put("name", node.getNode());
      item.set("capacity", objects.figures(node.getCapacity()));
      item.set("used", objects.figures(node.getUsed()));
      item.set("remaining", objects.figures(node.getRemaining()));
      item.put("reservations", node.getReservations().size());
      ArrayNode oversubscribed = item.putArray("oversubscribed");
      node.getOversubscribed().forEach(oversubscribed::add);
      item.put("updatedAt", node.getUpdatedAt().toString());
      item.put("ledgerPosition", node.getLastEventId());
    }
    return list;
  }

  private ObjectNode history(String node, Instant from, Instant to) {
    List<NodeQueries.Version> versions = queries.history(node, from, to);
    if (versions.isEmpty() && queries.latest(node).isEmpty()) {
      throw ApiError.notFound("no node '" + node + "'");
    }
    ObjectNode out = json.createObjectNode();
    out.put("name", node);
    out.put("from", from.toString());
    out.put("to", to.toString());
    ArrayNode items = out.putArray("versions");
    for (NodeQueries.Version version : versions) {
      ObjectNode item = items.addObject();
      item.put("validFrom", version.validFrom().toString());
      if (version.validTo() != null) {
        item.put("validTo", version.validTo().toString());
      }
      item.set("status", objects.status(version.state()));
    }
    return out;
  }

  private ObjectNode reservation(String namespace, String pod) {
    for (NodeBandwidth node : queries.all()) {
      for (Reservation reservation : node.getReservations()) {
        if (reservation.getNamespace().equals(namespace) && reservation.getPodName().equals(pod)) {
          ObjectNode out = json.createObjectNode();
          out.put("node", node.getNode());
          out.set("reservation", objects.reservation(reservation));
          return out;
        }
      }
    }
    throw ApiError.notFound("pod " + namespace + "/" + pod + " holds no reservation");
  }

  private ObjectNode summary(List<NodeBandwidth> nodes) {
    long[] capacity = new long[4];
    long[] used = new long[4];
    int reservations = 0;
    int invalid = 0;
    int assumed = 0;
    ObjectNode out = json.createObjectNode();
    ArrayNode oversubscribed = json.createArrayNode();
    for (NodeBandwidth node : nodes) {
      add(capacity, node.getCapacity());
      add(used, node.getUsed());
      reservations += node.getReservations().size();
      invalid += (int) node.getReservations().stream().filter(r -> r.getState() == ReservationState.INVALID).count();
      assumed += (int) node.getReservations().stream().filter(r -> r.getState() == ReservationState.ASSUMED).count();
      if (!node.getOversubscribed().isEmpty()) {
        oversubscribed.add(node.getNode());
      }
    }
    out.put("nodes", nodes.size());
    out.put("reservations", reservations);
    out.put("invalidReservations", invalid);
    out.put("assumedReservations", assumed);
    out.set("capacity", objects.figures(figures(capacity)));
    out.set("used", objects.figures(figures(used)));
    out.set("remaining", objects.figures(figures(new long[] {
        capacity[0] - used[0], capacity[1] - used[1], capacity[2] - used[2], capacity[3] - used[3]})));
    out.set("oversubscribedNodes", oversubscribed);
    return out;
  }

  private static void add(long[] sums, LinkFigures figures) {
    sums[0] += figures.getLocalUlMbps();
    sums[1] += figures.getLocalDlMbps();
    sums[2] += figures.getNetworkUlMbps();
    sums[3] += figures.getNetworkDlMbps();
  }

  private static LinkFigures figures(long[] sums) {
    return new LinkFigures(sums[0], sums[1], sums[2], sums[3]);
  }

  private void timed(String route, HttpExchange exchange, Supplier<Object> answer) throws IOException {
    long start = System.nanoTime();
    try {
      send(exchange, 200, JSON, json.writeValueAsBytes(answer.get()));
    } finally {
      latency.get(route).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Answers from every node's state, computed again only when a node changed since: a list of
   * thousands of nodes decodes every state, and most requests come between two changes.
   */
  private void timedFromAll(String route, HttpExchange exchange, CachedAnswer cached,
      Function<List<NodeBandwidth>, ObjectNode> answer) throws IOException {
    long start = System.nanoTime();
    try {
      send(exchange, 200, JSON, cached.get(changes.get(), () -> {
        try {
          return json.writeValueAsBytes(answer.apply(queries.all()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    } finally {
      latency.get(route).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private static Instant instant(String parameter, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badParameter(parameter, value,
          "is not an ISO-8601 date-time with an offset, e.g. 2026-11-23T10:15:30Z");
    }
  }

  private byte[] error(int status, String message) {
    ObjectNode body = json.createObjectNode();
    body.put("status", status);
    body.put("error", message);
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/"))
        .filter(segment -> !segment.isEmpty())
        .map(segment -> URLDecoder.decode(segment, StandardCharsets.UTF_8))
        .toList();
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> parameters = new HashMap<>();
    if (rawQuery == null) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.put(key, value);
    }
    return parameters;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Timer timer(MeterRegistry metrics, String route) {
    return Timer.builder("bwledger.projector.rest.latency")
        .description("Time to answer an API request, by route")
        .tag("route", route)
        .publishPercentiles(0.5, 0.99)
        .register(metrics);
  }
}
