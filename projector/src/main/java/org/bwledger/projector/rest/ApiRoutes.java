package org.bwledger.projector.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.projector.query.ClusterSummary;
import org.bwledger.projector.extender.SchedulerExtender;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.Call;
import org.bwledger.runtime.http.Endpoint;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;

/**
 * The projector's REST API (JSON, described by {@code /openapi.yaml}): which route answers what, and
 * how errors are said ({@code {"status": …, "error": …}}). The answers come from {@link NodeQueries}
 * and are shaped by {@link NodeViews}.
 */
public final class ApiRoutes {

  /** Reading one node: {@code get} on its Bandwidth object, so RBAC may grant single nodes by name. */
  static final Access GET_NODE = new Access.OnResource("get", BandwidthObjects.GROUP, BandwidthObjects.PLURAL, "node");

  /** Reading every node, or searching them all: {@code list} on Bandwidth objects. */
  static final Access LIST_NODES = new Access.OnResource("list", BandwidthObjects.GROUP, BandwidthObjects.PLURAL, null);

  /** The latest time a query may name; the stores count milliseconds since 1970 in a long. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /**
   * Nodes whose answer is kept rendered, each its JSON (a few KiB with tens of reservations): a client
   * reading every node of a large cluster in turn costs the projector a bounded amount.
   */
  private static final int NODES_KEPT_RENDERED = 2_048;

  private final NodeQueries queries;
  private final NodeViews views;
  private final Guard guard;
  private final ObjectMapper json;
  private final SchedulerExtender scheduler;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final AtomicLong changes = new AtomicLong();
  private final AnswerCache list = new AnswerCache(changes);
  private final AnswerCache summary = new AnswerCache(changes);
  private final RenderedNodes rendered = new RenderedNodes(changes, NODES_KEPT_RENDERED);
  private final byte[] openApi;

  /** @param guard who may read what: every route but the description needs a token with the right to read */
  /** @param scheduler the scheduler extender, or null when this projector serves none */
  public ApiRoutes(NodeQueries queries, SchedulerExtender scheduler, Guard guard, ObjectMapper json,
      MeterRegistry metrics, Clock clock)
      throws IOException {
    this.queries = queries;
    this.guard = guard;
    this.views = new NodeViews(json);
    this.json = json;
    this.scheduler = scheduler;
    this.metrics = metrics;
    this.clock = clock;
    try (InputStream in = ApiRoutes.class.getResourceAsStream("/openapi.yaml")) {
      this.openApi = in.readAllBytes();
    }
  }

  /**
   * A node changed (or is gone), and the store already holds it: its answer, and those computed from
   * every node, must be computed again.
   */
  public void nodeChanged(String node) {
    rendered.changed(node);
  }

  /** The routes, in a router that answers its errors as the API does. */
  public Router router() {
    Endpoint node = timed("node", this::node);
    Endpoint nodeAt = timed("node-at", this::nodeAt);
    return new Router(this::error, guard)
        .get("/openapi.yaml", Access.OPEN, call -> Reply.of(200, "application/yaml", openApi))
        .get("/api/v1/nodes", LIST_NODES, timed("nodes", call -> call.query("at").isPresent()
            ? ok(bytes(views.list(queries.allAt(instant("at", call.query("at").orElseThrow())))))
            : ok(list.get(() -> bytes(views.list(queries.all()))))))
        .get("/api/v1/nodes/{node}", GET_NODE,
            call -> call.query("at").isPresent() ? nodeAt.handle(call) : node.handle(call))
        .get("/api/v1/nodes/{node}/history", GET_NODE, timed("history", this::history))
        .get("/api/v1/namespaces/{namespace}/pods/{pod}/reservation", LIST_NODES,
            timed("reservation", this::reservation))
        .get("/api/v1/scheduling", LIST_NODES, timed("scheduling", call -> ok(bytes(views.scheduling(scheduler)))))
        .get("/api/v1/summary", LIST_NODES, timed("summary",
            call -> ok(summary.get(() -> bytes(views.summary(ClusterSummary.of(queries.all())))))));
  }

  private Reply node(Call call) {
    String node = call.pathParameter("node");
    return ok(rendered.get(node, () ->
        bytes(views.node(queries.latest(node).orElseThrow(() -> ApiError.notFound("no node '" + node + "'"))))));
  }

  private Reply nodeAt(Call call) {
    String node = call.pathParameter("node");
    Instant at = instant("at", call.query("at").orElseThrow());
    return ok(bytes(views.node(queries.at(node, at)
        .orElseThrow(() -> ApiError.notFound("node '" + node + "' had no state at " + at)))));
  }

  private Reply history(Call call) {
    String node = call.pathParameter("node");
    Instant to = call.query("to").map(value -> instant("to", value)).orElseGet(clock::instant);
    Instant from = call.query("from").map(value -> instant("from", value)).orElse(Instant.EPOCH);
    if (from.isAfter(to)) {
      throw ApiError.badParameter("from", call.query("from").orElseThrow(), "is after 'to' (" + to + ")");
    }
    var versions = queries.history(node, from, to);
    if (versions.isEmpty() && queries.latest(node).isEmpty()) {
      throw ApiError.notFound("no node '" + node + "'");
    }
    return ok(bytes(views.history(node, from, to, versions)));
  }

  private Reply reservation(Call call) {
    String namespace = call.pathParameter("namespace");
    String pod = call.pathParameter("pod");
    for (NodeBandwidth node : queries.all()) {
      for (Reservation reservation : node.getReservations()) {
        if (reservation.getNamespace().equals(namespace) && reservation.getPodName().equals(pod)) {
          return ok(bytes(views.reservation(node.getNode(), reservation)));
        }
      }
    }
    throw ApiError.notFound("pod " + namespace + "/" + pod + " holds no reservation");
  }

  /** Times a route, and answers its expected failures: what it throws as {@link ApiError}, and 503 when not ready. */
  private Endpoint timed(String route, Endpoint endpoint) {
    Timer timer = Timer.builder("bwledger.projector.rest.latency")
        .description("Time to answer an API request, by route")
        .tag("route", route)
        .publishPercentiles(0.5, 0.99)
        .register(metrics);
    return call -> {
      long start = System.nanoTime();
      try {
        return endpoint.handle(call);
      } catch (ApiError e) {
        return error(e.status(), e.getMessage());
      } catch (NodeQueries.NotReadyException e) {
        return error(503, e.getMessage());
      } finally {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    };
  }

  private static Instant instant(String parameter, String value) {
    Instant at;
    try {
      at = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badParameter(parameter, value,
          "is not an ISO-8601 date-time with an offset, e.g. 2026-11-23T10:15:30Z");
    }
    if (at.isBefore(Instant.EPOCH) || at.isAfter(LATEST)) {
      throw ApiError.badParameter(parameter, value, "is not between 1970 and 9999");
    }
    return at;
  }

  /** What every error answer says. */
  private record ErrorBody(int status, String error) {}

  private Reply error(int status, String message) {
    String said = status == 404 && message.startsWith("no such path") ? message + "; see /openapi.yaml" : message;
    return Reply.json(status, bytes(new ErrorBody(status, said)));
  }

  private static Reply ok(byte[] body) {
    return Reply.json(200, body);
  }

  private byte[] bytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
