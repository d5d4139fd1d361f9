package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bwledger.kube.events.EventTranslator;

/**
 * The Pod or Node of a watch event, built straight from its selected JSON ({@link
 * TraceTranslator#FIELDS_READ}) with what {@link EventTranslator} reads of it and nothing more.
 * Binding the tree into fabric8's model through Jackson took a third of a trace's replay. Text
 * fields take any JSON scalar as its text, as Jackson's binding does; a field of another shape is an
 * {@link IllegalArgumentException} that names it.
 */
final class WatchedObjects {

  private WatchedObjects() {}

  /** A pod's identity, annotations, owners, node, phase and IP. */
  static Pod pod(JsonNode object) {
    Pod pod = new Pod();
    pod.setMetadata(metadata(object));
    JsonNode spec = object(object, "spec");
    if (spec != null) {
      PodSpec podSpec = new PodSpec();
      podSpec.setNodeName(text(spec, "nodeName", "spec.nodeName"));
      pod.setSpec(podSpec);
    }
    JsonNode status = object(object, "status");
    if (status != null) {
      PodStatus podStatus = new PodStatus();
      podStatus.setPhase(text(status, "phase", "status.phase"));
      podStatus.setPodIP(text(status, "podIP", "status.podIP"));
      pod.setStatus(podStatus);
    }
    return pod;
  }

  /** A node's identity, labels and annotations. */
  static Node node(JsonNode object) {
    Node node = new Node();
    node.setMetadata(metadata(object));
    return node;
  }

  private static ObjectMeta metadata(JsonNode object) {
    ObjectMeta meta = new ObjectMeta();
    JsonNode metadata = object(object, "metadata");
    if (metadata == null) {
      return meta;
    }
    meta.setUid(text(metadata, "uid", "metadata.uid"));
    meta.setName(text(metadata, "name", "metadata.name"));
    meta.setNamespace(text(metadata, "namespace", "metadata.namespace"));
    meta.setResourceVersion(text(metadata, "resourceVersion", "metadata.resourceVersion"));
    meta.setDeletionTimestamp(text(metadata, "deletionTimestamp", "metadata.deletionTimestamp"));
    meta.setLabels(strings(metadata, "labels", "metadata.labels"));
    meta.setAnnotations(strings(metadata, "annotations", "metadata.annotations"));
    meta.setOwnerReferences(owners(metadata));
    return meta;
  }

  private static List<OwnerReference> owners(JsonNode metadata) {
    JsonNode refs = metadata.get("ownerReferences");
    if (refs == null || refs.isNull()) {
      return null;
    }
    if (!refs.isArray()) {
      throw shape("metadata.ownerReferences", "an array");
    }
    List<OwnerReference> owners = new ArrayList<>(refs.size());
    for (JsonNode ref : refs) {
      if (!ref.isObject()) {
        throw shape("metadata.ownerReferences[]", "an object");
      }
      OwnerReference owner = new OwnerReference();
      owner.setKind(text(ref, "kind", "metadata.ownerReferences[].kind"));
      owner.setName(text(ref, "name", "metadata.ownerReferences[].name"));
      owner.setUid(text(ref, "uid", "metadata.ownerReferences[].uid"));
      owner.setController(controller(ref.path("controller")));
      owners.add(owner);
    }
    return owners;
  }

  /** Whether an owner is the controller: JSON's true or false, or their text; null when unsaid. */
  private static Boolean controller(JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    return value.isTextual() ? Boolean.valueOf(value.textValue()) : null;
  }

  /** The object at {@code field}, or null when absent or null. */
  private static JsonNode object(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw shape(field, "an object");
    }
    return value;
  }

  /** A string-to-string map, as labels and annotations are; null when absent. */
  private static Map<String, String> strings(JsonNode parent, String field, String path) {
    JsonNode value = parent.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw shape(path, "an object");
    }
    Map<String, String> strings = new HashMap<>();
    value.fields().forEachRemaining(entry -> strings.put(entry.getKey(), scalar(entry.getValue(), path)));
    return strings;
  }

  private static String text(JsonNode parent, String field, String path) {
    JsonNode value = parent.get(field);
    return value == null ? null : scalar(value, path);
  }

  private static String scalar(JsonNode value, String path) {
    if (value.isNull()) {
      return null;
    }
    if (value.isContainerNode()) {
      throw shape(path, "text");
    }
    return value.asText();
  }

  private static IllegalArgumentException shape(String path, String expected) {
    return new IllegalArgumentException(path + " is not " + expected);
  }
}
