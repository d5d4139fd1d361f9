package org.bwledger.kube.events;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Kubernetes objects into the slim events of {@code bw.cluster-events} (DESIGN §3): only what
 * the accounting rules need, annotations as raw strings. Ingest and replay share it, so a recorded
 * history folds exactly as the live one did.
 */
public final class EventTranslator {

  /** Labels and annotations of a node with this prefix are carried as capacity hints. */
  public static final String CAPACITY_HINT_PREFIX = "networking.vaclab.org/";

  private static final Logger log = LoggerFactory.getLogger(EventTranslator.class);
  private static final String[][] CAPACITY_FIELDS = {
      {"local", "ulMbps"}, {"local", "dlMbps"}, {"network", "ulMbps"}, {"network", "dlMbps"}};

  private final Set<String> bandwidthAnnotations;

  /** @param bandwidthAnnotations the annotation keys carried into the log, unparsed */
  public EventTranslator(Set<String> bandwidthAnnotations) {
    this.bandwidthAnnotations = Set.copyOf(bandwidthAnnotations);
  }

  /** The annotation keys carried into the log. */
  public Set<String> bandwidthAnnotations() {
    return bandwidthAnnotations;
  }

  /** The annotations of these keys that an object carries, unparsed, by key. */
  public SortedMap<String, String> bandwidthAnnotationsOf(ObjectMeta meta) {
    SortedMap<String, String> annotations = new TreeMap<>();
    if (meta != null && meta.getAnnotations() != null) {
      meta.getAnnotations().forEach((key, value) -> {
        if (bandwidthAnnotations.contains(key) && value != null) {
          annotations.put(key, value);
        }
      });
    }
    return annotations;
  }

  /** A pod was added or modified. */
  public ClusterEvent podObserved(Pod pod, String eventId, Instant observedAt) {
    ObjectMeta meta = pod.getMetadata();
    SortedMap<String, String> annotations = bandwidthAnnotationsOf(meta);
    PodObserved observed = PodObserved.newBuilder()
        .setUid(meta.getUid())
        .setNamespace(Objects.requireNonNullElse(meta.getNamespace(), ""))
        .setName(Objects.requireNonNullElse(meta.getName(), ""))
        .setNodeName(pod.getSpec() == null ? "" : Objects.requireNonNullElse(pod.getSpec().getNodeName(), ""))
        .setPhase(pod.getStatus() == null ? "" : Objects.requireNonNullElse(pod.getStatus().getPhase(), ""))
        .setDeletionRequested(meta.getDeletionTimestamp() != null)
        .setBandwidthAnnotations(annotations)
        .setController(controllerOf(meta))
        .setPodIp(pod.getStatus() == null ? null : pod.getStatus().getPodIP())
        .build();
    return event(eventId, observedAt, meta, observed);
  }

  /** A pod was deleted, with its final state known or not. */
  public ClusterEvent podGone(Pod pod, String eventId, Instant observedAt) {
    ObjectMeta meta = pod.getMetadata();
    String node = pod.getSpec() == null ? "" : Objects.requireNonNullElse(pod.getSpec().getNodeName(), "");
    return event(eventId, observedAt, meta,
        new PodGone(meta.getUid(), Objects.requireNonNullElse(meta.getNamespace(), ""),
            Objects.requireNonNullElse(meta.getName(), ""), node));
  }

  /** A node was added or modified. */
  public ClusterEvent nodeObserved(Node node, String eventId, Instant observedAt) {
    ObjectMeta meta = node.getMetadata();
    SortedMap<String, String> hints = new TreeMap<>();
    collectHints(meta.getLabels(), hints);
    collectHints(meta.getAnnotations(), hints);
    return event(eventId, observedAt, meta, new NodeObserved(meta.getName(), hints));
  }

  /** A node was deleted. */
  public ClusterEvent nodeGone(Node node, String eventId, Instant observedAt) {
    return event(eventId, observedAt, node.getMetadata(), new NodeGone(node.getMetadata().getName()));
  }

  /**
   * A user's {@code spec.capacity} of a Bandwidth object ({@code null} object: it was deleted). Values
   * that are not whole non-negative numbers are left unset, with a warning: the CRD's schema rejects
   * them on a real cluster, so they only come from hand-made traces.
   */
  public ClusterEvent capacitySet(GenericKubernetesResource bandwidth, boolean deleted, String eventId,
      Instant observedAt) {
    ObjectMeta meta = bandwidth.getMetadata();
    Object spec = bandwidth.getAdditionalProperties().get("spec");
    String node = meta.getName();
    if (spec instanceof Map<?, ?> specMap && specMap.get("node") instanceof String named && !named.isEmpty()) {
      node = named;
    }
    CapacitySpec capacity = deleted ? null : capacityOf(node, spec);
    return event(eventId, observedAt, meta, new CapacitySet(node, capacity));
  }

  private static CapacitySpec capacityOf(String node, Object spec) {
    if (!(spec instanceof Map<?, ?> specMap) || !(specMap.get("capacity") instanceof Map<?, ?> capacity)) {
      return null;
    }
    Long[] values = new Long[CAPACITY_FIELDS.length];
    for (int i = 0; i < values.length; i++) {
      String[] path = CAPACITY_FIELDS[i];
      Object value = capacity.get(path[0]) instanceof Map<?, ?> link ? link.get(path[1]) : null;
      values[i] = mbps(node, path, value);
    }
    return new CapacitySpec(values[0], values[1], values[2], values[3]);
  }

  private static Long mbps(String node, String[] path, Object value) {
    if (value == null) {
      return null;
    }
    if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
      return ((Number) value).longValue();
    }
    log.warn("Bandwidth {}: spec.capacity.{}.{} = {} is not a whole number of Mbit/s; using the default",
        node, path[0], path[1], value);
    return null;
  }

  private static Owner controllerOf(ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return null;
    }
    return meta.getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()))
        .findFirst()
        .map(EventTranslator::owner)
        .orElse(null);
  }

  private static Owner owner(OwnerReference ref) {
    return new Owner(ref.getKind(), ref.getName(), ref.getUid());
  }

  private static void collectHints(Map<String, String> from, SortedMap<String, String> hints) {
    if (from != null) {
      from.forEach((key, value) -> {
        if (key.startsWith(CAPACITY_HINT_PREFIX) && value != null) {
          hints.put(key, value);
        }
      });
    }
  }

  private static ClusterEvent event(String eventId, Instant observedAt, ObjectMeta meta, Object payload) {
    return new ClusterEvent(eventId, observedAt, Objects.requireNonNullElse(meta.getResourceVersion(), ""), payload);
  }
}
