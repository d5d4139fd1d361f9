package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The objects of the simulated API: fabric8's CRUD store, and what an API server does beyond it.
 * <ul>
 *   <li>A {@code Binding} (to {@code pods/{name}/binding} or the namespace's {@code bindings}) sets
 *       the pod's {@code spec.nodeName}, refusing a stale uid or a pod already bound, where the CRUD
 *       store would keep the Binding as an object of its own.
 *   <li>Every change is kept, in order, with the resourceVersion it made (a deletion makes one too),
 *       so a watch resumes from a resourceVersion as on a real server: the changes since, or
 *       {@code 410 Gone} once they are no longer kept.
 *   <li>A stored {@code CustomResourceDefinition} adds its resource to discovery and its printer
 *       columns to the tables.
 * </ul>
 */
final class ObjectStore extends KubernetesCrudDispatcher {

  /** How many changes are kept for watches to resume from, as an API server's watch cache keeps a window. */
  static final int HISTORY = 10_000;

  private static final Pattern BINDING = Pattern.compile("/api/v1/namespaces/([^/]+)/(?:pods/([^/]+)/binding|bindings)");
  private static final String DEFINITIONS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  /** A change: the object's key and state before and after (null where there was none). */
  private record Change(long resourceVersion, AttributeSet before, String was, AttributeSet after, String is) {}

  /** An open watch: what it selects and where its events go. */
  final class Watch implements AutoCloseable {
    private final AttributeSet selector;
    private final Consumer<WatchEvent> events;

    private Watch(AttributeSet selector, Consumer<WatchEvent> events) {
      this.selector = selector;
      this.events = events;
    }

    /** Sends the change as this watch sees it: added, modified or deleted as it enters, stays in or leaves its selection. */
    private void send(Change change) {
      boolean matchedBefore = change.before() != null && change.before().matches(selector);
      boolean matchesAfter = change.after() != null && change.after().matches(selector);
      if (matchedBefore && matchesAfter) {
        events.accept(new WatchEvent("MODIFIED", change.is()));
      } else if (matchedBefore) {
        events.accept(new WatchEvent("DELETED", change.is() != null ? change.is() : change.was()));
      } else if (matchesAfter) {
        events.accept(new WatchEvent("ADDED", change.is()));
      }
    }

    @Override
    public void close() {
      watches.remove(this);
    }
  }

  /** A watch asked to resume from a resourceVersion whose changes are no longer kept. */
  static final class ExpiredException extends Exception {
    ExpiredException(String message) {
      super(message);
    }
  }

  private final ObjectMapper json;
  private final int historySize;
  private final ApiResources resources;
  private final KubernetesAttributesExtractor attributes;
  private final Set<Watch> watches = new CopyOnWriteArraySet<>();
  private final ArrayDeque<Change> history = new ArrayDeque<>();
  /** The resourceVersion of the newest change no longer kept: a watch from before it cannot resume. */
  private long forgottenThrough;
  /** Held while a change is stored and sent, and while a watch opens: no change is missed or sent twice. */
  private final Object changes = new Object();

  /** @param historySize how many changes are kept for watches to resume from, e.g. {@link #HISTORY} */
  ObjectStore(ObjectMapper json, ApiResources resources, int historySize) {
    this.json = json;
    this.historySize = historySize;
    this.resources = resources;
    this.attributes = (KubernetesAttributesExtractor) attributeExtractor;
  }

  /**
   * Opens a watch of what {@code path} selects (its resource, namespace, name, label and field
   * selectors). From {@code resourceVersion}, it first sends the changes since; without one (or
   * from "0"), every object it selects as added. Then each change, until closed.
   *
   * @throws ExpiredException when the changes since {@code resourceVersion} are no longer kept
   */
  Watch watch(String path, String resourceVersion, Consumer<WatchEvent> events) throws ExpiredException {
    AttributeSet selector = attributes.fromPath(path);
    Watch watch = new Watch(selector, events);
    synchronized (changes) {
      if (resourceVersion == null || resourceVersion.isEmpty() || resourceVersion.equals("0")) {
        List<Map.Entry<Long, String>> selected = new ArrayList<>(); // with its resourceVersion, parsed once
        synchronized (map) {
          map.forEach((key, object) -> {
            if (key.matches(selector)) {
              selected.add(Map.entry(resourceVersionOf(object), object));
            }
          });
        }
        selected.sort(Map.Entry.comparingByKey());
        selected.forEach(entry -> events.accept(new WatchEvent("ADDED", entry.getValue())));
      } else {
        long from = parseResourceVersion(resourceVersion);
        if (from < forgottenThrough) {
          throw new ExpiredException("too old resource version: " + from + " (" + forgottenThrough + ")");
        }
        history.stream().filter(change -> change.resourceVersion() > from).forEach(watch::send);
      }
      watches.add(watch);
    }
    return watch;
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String stored) {
    // The CRUD store writes a cluster-scoped object's namespace as null; a server leaves it out.
    String newState = stored != null && stored.contains("\"namespace\":null")
        ? withoutNullNamespace(stored) : stored;
    synchronized (changes) {
      String existing = oldAttributes == null ? null : map.get(oldAttributes);
      super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
      if (Objects.equals(existing, newState)) {
        return;
      }
      AttributeSet newAttributes = null;
      String state = newState;
      long resourceVersion;
      if (newState == null) {
        // A deletion is a change of its own on a server: the object as it was, at a new resourceVersion.
        resourceVersion = requestResourceVersion();
        state = withResourceVersion(existing, resourceVersion);
      } else {
        newAttributes = resource != null ? attributes.extract(resource) : attributes.fromResource(newState);
        if (!newAttributes.containsKey(KubernetesAttributesExtractor.PLURAL)) {
          newAttributes = AttributeSet.merge(pathAttributes, newAttributes);
        }
        resourceVersion = resourceVersionOf(newState);
      }
      Change change = new Change(resourceVersion, oldAttributes, existing, newAttributes, state);
      history.addLast(change);
      if (history.size() > historySize) {
        forgottenThrough = history.removeFirst().resourceVersion();
      }
      watches.forEach(watch -> watch.send(change));
      if (path.startsWith(DEFINITIONS)) {
        if (newState == null) {
          resources.undefine(read(existing));
        } else {
          resources.define(read(newState));
        }
      }
    }
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    Matcher binding = BINDING.matcher(request.getPath());
    return binding.matches() ? bind(binding.group(1), binding.group(2), request.getUtf8Body())
        : super.handleCreate(request);
  }

  /** Binds a pod to the Binding's target as an API server does: once, and only the pod the uid names. */
  private MockResponse bind(String namespace, String podInPath, String body) {
    Binding bind = Serialization.unmarshal(body, Binding.class);
    String podPath = "/api/v1/namespaces/" + namespace + "/pods/"
        + (podInPath != null ? podInPath : bind.getMetadata().getName());
    MockResponse current = handleGet(podPath);
    if (current.code() != 200) {
      return current;
    }
    Pod pod = Serialization.unmarshal(current.getBody().readUtf8(), Pod.class);
    String uid = bind.getMetadata().getUid();
    if (uid != null && !uid.equals(pod.getMetadata().getUid())) {
      return failure(409, "Conflict", "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
          + pod.getMetadata().getUid());
    }
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
      return failure(409, "Conflict", "pod " + pod.getMetadata().getName() + " is already assigned to node \""
          + pod.getSpec().getNodeName() + "\"");
    }
    MockResponse patched = setNodeName(podPath, bind.getTarget().getName());
    return patched.code() / 100 != 2 ? patched : new MockResponse().setResponseCode(201)
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":201}");
  }

  /** Sets a pod's node, as a merge patch would. */
  MockResponse setNodeName(String podPath, String node) {
    String patch = Serialization.asJson(Map.of("spec", Map.of("nodeName", node)));
    return handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, podPath,
        Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
        new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
  }

  /** A {@code Status} failure, as an API server answers one. */
  static MockResponse failure(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(new StatusBuilder()
        .withStatus("Failure").withReason(reason).withCode(code).withMessage(message).build()));
  }

  private long resourceVersionOf(String object) {
    return parseResourceVersion(read(object).path("metadata").path("resourceVersion").asText("0"));
  }

  /** @throws IllegalArgumentException for a resourceVersion this server never gave */
  private static long parseResourceVersion(String resourceVersion) {
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("resourceVersion " + resourceVersion + " is not one of this server's", e);
    }
  }

  private String withResourceVersion(String object, long resourceVersion) {
    JsonNode node = read(object);
    ((ObjectNode) node.path("metadata")).put("resourceVersion", String.valueOf(resourceVersion));
    return node.toString();
  }

  private String withoutNullNamespace(String object) {
    JsonNode node = read(object);
    if (!node.path("metadata").path("namespace").isNull()) {
      return object;
    }
    ((ObjectNode) node.path("metadata")).remove("namespace");
    return node.toString();
  }

  private JsonNode read(String object) {
    try {
      return json.readTree(object);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
