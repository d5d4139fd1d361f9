package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API server in this JVM, for the local laboratory and the tests: plain HTTP on one
 * port, no credentials. Objects live in fabric8's CRUD store ({@link ObjectStore}); this front adds
 * what clients of a real API server rely on and the store lacks:
 * <ul>
 *   <li>discovery, legacy and aggregated, of every resource it serves, custom ones included;
 *   <li>{@code Table} responses, so {@code kubectl get} prints a real cluster's columns;
 *   <li>watches over HTTP (a stream of JSON events, Tables too), resuming from a resourceVersion;
 *   <li>pod binding.
 * </ul>
 * A watch asked for over WebSocket is answered 503, which makes fabric8 clients watch over HTTP,
 * as they do through {@code kubectl proxy}; the clients of {@link #newClient()} do so at once.
 */
public final class SimulatedApiServer implements AutoCloseable {

  /**
   * Answers a request before the API does, for a test that needs the API to fail or to race.
   * Returns null to let the request through.
   */
  @FunctionalInterface
  public interface Hook {
    MockResponse answer(RecordedRequest request);
  }

  private static final Logger log = LoggerFactory.getLogger(SimulatedApiServer.class);
  /** An API server ends a watch after a while (its --min-request-timeout, randomised); clients open another. */
  private static final Duration WATCH_TIMEOUT = Duration.ofMinutes(30);
  private static final long IDLE_TIMEOUT_MS = Duration.ofHours(1).toMillis();
  private static final int BODY_LIMIT = 16 * 1024 * 1024;
  private static final Pattern GROUP_VERSION = Pattern.compile("/apis/([^/]+)/([^/]+)");
  /** A collection, an object or an object's subresource, in a namespace or not. */
  private static final Pattern RESOURCE_PATH = Pattern.compile("/(?:api/(?<coreVersion>v1)|apis/(?<group>[^/]+)/"
      + "(?<version>[^/]+))(?:/namespaces/[^/]+)?/(?<plural>[^/]+)(?:/[^/]+(?:/[^/]+)?)?");

  private static final String NO_RESOURCE = "the server could not find the requested resource";

  private final ObjectMapper json = new ObjectMapper();
  private final ApiResources resources = new ApiResources(json);
  private final ObjectStore store = new ObjectStore(json, resources, ObjectStore.HISTORY);
  private final Tables tables = new Tables(json);
  private final Clock clock;
  private final List<Hook> hooks = new CopyOnWriteArrayList<>();
  private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  private volatile boolean recording;
  private final Server server;
  private final ServerConnector connector;

  private SimulatedApiServer(String host, int port, Clock clock) {
    this.clock = clock;
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("bwledger-simulated-api");
    threads.setDaemon(true);
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS); // watches may stay quiet for long
    server.addConnector(connector);
    server.setHandler(new Front());
  }

  /**
   * Starts an empty API on {@code host}:{@code port} (0 picks a free port) with the given custom
   * resource definitions installed, as on a cluster where they were applied.
   */
  public static SimulatedApiServer start(String host, int port, Clock clock, HasMetadata... definitions)
      throws Exception {
    SimulatedApiServer api = new SimulatedApiServer(host, port, clock);
    api.server.start();
    for (HasMetadata definition : definitions) {
      MockResponse created = api.store.handleCreate(request("POST",
          "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Serialization.asJson(definition)));
      if (created.code() != 201) {
        api.close();
        throw new IllegalArgumentException("definition " + definition.getMetadata().getName() + " refused: "
            + created.getBody().readUtf8());
      }
    }
    return api;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234/}. */
  public String url() {
    return "http://" + connector.getHost() + ":" + connector.getLocalPort() + "/";
  }

  /** A client of this API, for a component that closes its own; it watches over HTTP. */
  public KubernetesClient newClient() {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withHttp2Disable(true)
        .withOnlyHttpWatches(true)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Writes a kubeconfig for this API under the name {@code name}, for kubectl or a command's {@code --kubeconfig}. */
  public Path writeKubeconfig(Path file, String name) throws IOException {
    return Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: " + name,
        "  cluster:",
        "    server: " + url(),
        "contexts:",
        "- name: " + name,
        "  context:",
        "    cluster: " + name,
        "    user: " + name,
        "current-context: " + name,
        "users:",
        "- name: " + name,
        "  user: {}",
        ""));
  }

  /** A {@code Status} failure, as an API server answers one: for a hook that makes the API fail. */
  public static MockResponse failure(int code, String reason, String message) {
    return ObjectStore.failure(code, reason, message);
  }

  /** Lets {@code hook} answer requests before the API, after the hooks added before it. */
  public void addHook(Hook hook) {
    hooks.add(hook);
  }

  /** Keeps every request from now on, for {@link #takeRequests}; off by default: a long run would pile them up. */
  public void recordRequests() {
    recording = true;
  }

  /** The requests received since the last call or since recording began, as {@code METHOD path?query}, oldest first. */
  public List<String> takeRequests() {
    List<String> taken = new ArrayList<>();
    requests.drainTo(taken);
    return taken;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("Stopping the simulated API failed: {}", e.toString());
    }
  }

  private static RecordedRequest request(String method, String pathQuery, String body) {
    return request(method, pathQuery, Headers.builder().add("Content-Type", "application/json").build(),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static RecordedRequest request(String method, String pathQuery, Headers headers, byte[] body) {
    return new RecordedRequest("HTTP/1.1", HttpMethod.valueOf(method), pathQuery, headers, new Buffer(body));
  }

  /** Every request: hooks, discovery, watches, then the store, with its answer as a Table when asked for one. */
  private final class Front extends Handler.Abstract {

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String method = request.getMethod();
      String path = request.getHttpURI().getPath();
      String pathQuery = request.getHttpURI().getPathQuery();
      if (recording) {
        requests.add(method + " " + pathQuery);
      }
      byte[] body = Content.Source.asByteArrayAsync(request, BODY_LIMIT).get(30, TimeUnit.SECONDS);
      Headers.Builder headers = Headers.builder();
      for (HttpField field : request.getHeaders()) {
        headers.add(field.getName(), field.getValue());
      }
      RecordedRequest recorded;
      try {
        recorded = request(method, pathQuery, headers.build(), body);
      } catch (IllegalArgumentException e) {
        return answer(response, callback, ObjectStore.failure(405, "MethodNotAllowed", method + " is not served"));
      }
      String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      if (body.length > 0 && contentType != null && !contentType.contains("json")) {
        // kubectl sends built-in kinds as protobuf from its typed commands (create namespace, run…);
        // from files (kubectl apply/create -f) it sends JSON.
        return answer(response, callback, ObjectStore.failure(415, "UnsupportedMediaType",
            "the simulated API reads JSON, not " + contentType + ": use kubectl apply -f or create -f"));
      }
      for (Hook hook : hooks) {
        MockResponse answer = hook.answer(recorded);
        if (answer != null) {
          return answer(response, callback, answer);
        }
      }
      Fields query = Request.extractQueryParameters(request);
      String accept = request.getHeaders().get(HttpHeader.ACCEPT);
      Optional<ApiResource> resource = resourceOf(path);
      try {
        if (method.equals("GET")) {
          Optional<JsonNode> discovery = discovery(path, accept);
          if (discovery.isPresent()) {
            boolean aggregated = discovery.get().path("kind").asText().equals("APIGroupDiscoveryList");
            return answer(response, callback, 200, aggregated ? ApiResources.AGGREGATED_TYPE : "application/json",
                discovery.get().toString().getBytes(StandardCharsets.UTF_8));
          }
          String watch = query.getValue("watch");
          if ("true".equals(watch) || "1".equals(watch)) {
            return watch(request, response, callback, pathQuery, query, accept, resource);
          }
        }
        if (resource.isEmpty()) {
          return answer(response, callback, ObjectStore.failure(404, "NotFound", NO_RESOURCE));
        }
        MockResponse answer = store.dispatch(recorded);
        if (answer == null) {
          answer = ObjectStore.failure(405, "MethodNotAllowed", method + " is not served");
        }
        if (method.equals("GET") && answer.code() == 200 && Tables.asked(accept)) {
          JsonNode listOrObject = json.readTree(answer.getBody().getBytes());
          ObjectNode table = tables.table(resource.get().table(), listOrObject,
              Tables.Include.of(query.getValue("includeObject")), true, clock.instant());
          return answer(response, callback, 200, "application/json", table.toString().getBytes(StandardCharsets.UTF_8));
        }
        return answer(response, callback, answer);
      } catch (IllegalArgumentException e) {
        return answer(response, callback, ObjectStore.failure(400, "BadRequest", e.getMessage()));
      }
    }

    private Optional<JsonNode> discovery(String path, String accept) {
      boolean aggregated = accept != null && accept.contains(ApiResources.AGGREGATED) && accept.contains("v=v2;");
      switch (path) {
        case "/api":
          return Optional.of(aggregated ? resources.aggregated(true)
              : resources.coreVersions(connector.getHost() + ":" + connector.getLocalPort()));
        case "/apis":
          return Optional.of(aggregated ? resources.aggregated(false) : resources.groups());
        case "/api/v1":
          return resources.resourceList("v1").map(JsonNode.class::cast);
        case "/version":
          return Optional.of(json.createObjectNode().put("major", "1").put("minor", "32")
              .put("gitVersion", "v1.32.0-bwledger-simulated").put("platform", "linux/amd64"));
        default:
          Matcher groupVersion = GROUP_VERSION.matcher(path);
          return groupVersion.matches()
              ? resources.resourceList(groupVersion.group(1) + "/" + groupVersion.group(2)).map(JsonNode.class::cast)
              : Optional.empty();
      }
    }

    private Optional<ApiResource> resourceOf(String path) {
      Matcher matcher = RESOURCE_PATH.matcher(path);
      if (!matcher.matches()) {
        return Optional.empty();
      }
      return matcher.group("coreVersion") != null
          ? resources.find("", "v1", matcher.group("plural"))
          : resources.find(matcher.group("group"), matcher.group("version"), matcher.group("plural"));
    }

    /**
     * A watch: one JSON event a line, {@code {"type":…,"object":…}}, each object a Table when the
     * Accept header asks for one (the columns in the first only, as a server sends them).
     */
    private boolean watch(Request request, Response response, Callback callback, String pathQuery, Fields query,
        String accept, Optional<ApiResource> resource) throws IOException, InterruptedException {
      String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
      if (upgrade != null && upgrade.toLowerCase(java.util.Locale.ROOT).contains("websocket")) {
        return answer(response, callback, ObjectStore.failure(503, "ServiceUnavailable",
            "watches are served over HTTP only, not WebSocket"));
      }
      if (resource.isEmpty()) {
        return answer(response, callback, ObjectStore.failure(404, "NotFound", NO_RESOURCE));
      }
      TableConverter table = Tables.asked(accept) ? resource.get().table() : null;
      Tables.Include include = Tables.Include.of(query.getValue("includeObject"));
      String timeout = query.getValue("timeoutSeconds");
      Duration duration = timeout == null ? WATCH_TIMEOUT : Duration.ofSeconds(Long.parseLong(timeout));

      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      AtomicBoolean first = new AtomicBoolean(true);
      ObjectStore.Watch[] opened = new ObjectStore.Watch[1];
      WatchStream stream = new WatchStream(response, callback, () -> {
        if (opened[0] != null) {
          opened[0].close();
        }
      });
      try {
        opened[0] = store.watch(pathQuery, query.getValue("resourceVersion"), event -> {
          JsonNode object = readTree(event.object());
          JsonNode sent = table == null ? object
              : tables.table(table, object, include, first.getAndSet(false), clock.instant());
          ObjectNode line = json.createObjectNode().put("type", event.type());
          line.set("object", sent);
          stream.send((line + "\n").getBytes(StandardCharsets.UTF_8));
        });
      } catch (ObjectStore.ExpiredException e) {
        ObjectNode line = json.createObjectNode().put("type", "ERROR");
        line.set("object", readTree(ObjectStore.failure(410, "Expired", e.getMessage()).getBody().readUtf8()));
        stream.send((line + "\n").getBytes(StandardCharsets.UTF_8));
        stream.end();
        stream.iterate();
        return true;
      }
      request.getComponents().getScheduler().schedule(stream::end, duration.toMillis(), TimeUnit.MILLISECONDS);
      stream.iterate();
      return true;
    }

    private JsonNode readTree(String object) {
      try {
        return json.readTree(object);
      } catch (IOException e) {
        throw new IllegalStateException("the store holds an object that is not JSON", e);
      }
    }

    private boolean answer(Response response, Callback callback, MockResponse answer) throws InterruptedException {
      Duration delay = answer.getBodyDelay();
      if (delay != null && !delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      String type = answer.getHeaders().get("Content-Type");
      return answer(response, callback, answer.code(), type != null ? type : "application/json",
          answer.getBody() != null ? answer.getBody().getBytes() : new byte[0]);
    }

    private boolean answer(Response response, Callback callback, int status, String contentType, byte[] body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.write(true, ByteBuffer.wrap(body), callback);
      return true;
    }
  }
}
