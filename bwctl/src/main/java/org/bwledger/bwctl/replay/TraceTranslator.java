package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.schemas.event.ClusterEvent;

/**
 * Turns the watch events of a kubectl trace into the events ingest would have produced, with
 * {@link EventTranslator}, each dated by {@link TraceClock}.
 */
final class TraceTranslator {

  /**
   * What of a watch event the translation reads, and so all the trace reader builds: an object's
   * identity, labels, annotations, owners and times; a pod's node, phase and IP; a Bandwidth's spec.
   */
  static final FieldSelection FIELDS_READ = FieldSelection.of("type", "observedAt", "object.apiVersion",
      "object.kind", "object.metadata.uid", "object.metadata.name", "object.metadata.namespace",
      "object.metadata.labels", "object.metadata.annotations", "object.metadata.ownerReferences",
      "object.metadata.resourceVersion", "object.metadata.generation", "object.metadata.creationTimestamp",
      "object.metadata.deletionTimestamp", "object.metadata.managedFields.time", "object.spec.nodeName",
      "object.spec.node", "object.spec.capacity", "object.status.phase", "object.status.podIP");

  private final EventTranslator translator;
  private final ObjectMapper json;
  private final Map<String, Long> bandwidthGenerations = new HashMap<>();
  private final TraceClock clock = new TraceClock();
  private long sequence;

  TraceTranslator(EventTranslator translator, ObjectMapper json) {
    this.translator = translator;
    this.json = json;
  }

  /**
   * The event for one watch event, or empty when it carries nothing for the ledger (a Bandwidth
   * status write, a bookmark).
   *
   * @throws IllegalArgumentException when the object is not one the trace may hold
   */
  Optional<ClusterEvent> translate(String type, JsonNode object, String recordedAt) {
    if (type.equals("BOOKMARK")) {
      return Optional.empty();
    }
    boolean deleted = switch (type) {
      case "ADDED", "MODIFIED" -> false;
      case "DELETED" -> true;
      default -> throw new IllegalArgumentException("unexpected watch event type " + type);
    };
    String kind = object.path("kind").asText("");
    String id = eventId(sequence++);
    Instant at = clock.next(object, recordedAt);
    return switch (kind) {
      case "Pod" -> {
        Pod pod = valid(kind, () -> WatchedObjects.pod(object));
        requireIdentity(pod.getMetadata().getUid(), "Pod");
        yield Optional.of(deleted ? translator.podGone(pod, id, at) : translator.podObserved(pod, id, at));
      }
      case "Node" -> {
        Node node = valid(kind, () -> WatchedObjects.node(object));
        requireIdentity(node.getMetadata().getName(), "Node");
        yield Optional.of(deleted ? translator.nodeGone(node, id, at) : translator.nodeObserved(node, id, at));
      }
      case "Bandwidth" -> bandwidth(valid(kind, () -> bound(object, GenericKubernetesResource.class)), deleted, id, at);
      default -> throw new IllegalArgumentException("unexpected kind '" + kind + "' (expected Pod, Node or Bandwidth)");
    };
  }

  /** What {@code build} makes of the object, or why it is not a valid one of its kind. */
  private static <T> T valid(String kind, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a valid " + kind + ": " + e.getMessage(), e);
    }
  }

  private <T> T bound(JsonNode object, Class<T> type) {
    try {
      return json.treeToValue(object, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** Only a change of a Bandwidth's spec (its generation moved) is a user's edit; status writes are not. */
  private Optional<ClusterEvent> bandwidth(GenericKubernetesResource bandwidth, boolean deleted, String id, Instant at) {
    String name = bandwidth.getMetadata().getName();
    requireIdentity(name, "Bandwidth");
    Long generation = bandwidth.getMetadata().getGeneration();
    if (deleted) {
      bandwidthGenerations.remove(name);
      return Optional.of(translator.capacitySet(bandwidth, true, id, at));
    }
    Long previous = bandwidthGenerations.put(name, generation);
    if (previous != null && previous.equals(generation)) {
      return Optional.empty();
    }
    return Optional.of(translator.capacitySet(bandwidth, false, id, at));
  }

  /** {@code trace-} and the sequence number in ten digits: made once per event, so without String.format. */
  private static String eventId(long sequence) {
    String digits = Long.toString(sequence);
    return "trace-" + "0".repeat(Math.max(0, 10 - digits.length())) + digits;
  }

  private static void requireIdentity(String value, String kind) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(kind + " without " + (kind.equals("Pod") ? "metadata.uid" : "metadata.name"));
    }
  }
}
