package org.bwledger.ingest.watch;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BiPredicate;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.schemas.event.ClusterEvent;

/**
 * What one kind of Kubernetes object contributes to the log.
 *
 * @param name how logs and metrics name it ({@code pods}, {@code nodes}, {@code bandwidths})
 * @param observed the event for an object added or changed
 * @param gone the event for an object deleted
 * @param changed whether an update carries something the log needs (an unchanged slim event does not)
 * @param <T> the object's type
 */
record WatchedKind<T>(String name, Translation<T> observed, Translation<T> gone, BiPredicate<T, T> changed) {

  /** Pods: an update counts when the pod's event would differ. */
  static WatchedKind<Pod> pods(EventTranslator translator, Clock clock) {
    return new WatchedKind<>("pod", translator::podObserved, translator::podGone,
        (before, after) -> differ(translator.podObserved(before, "", clock.instant()),
            translator.podObserved(after, "", clock.instant())));
  }

  /** Nodes: an update counts when the node's event would differ (not on heartbeats or conditions). */
  static WatchedKind<Node> nodes(EventTranslator translator, Clock clock) {
    return new WatchedKind<>("node", translator::nodeObserved, translator::nodeGone,
        (before, after) -> differ(translator.nodeObserved(before, "", clock.instant()),
            translator.nodeObserved(after, "", clock.instant())));
  }

  /** Bandwidth objects: only a user's edit of the spec moves the generation; the projector's status writes do not. */
  static WatchedKind<GenericKubernetesResource> bandwidths(EventTranslator translator) {
    return new WatchedKind<>("bandwidth",
        (bandwidth, id, at) -> translator.capacitySet(bandwidth, false, id, at),
        (bandwidth, id, at) -> translator.capacitySet(bandwidth, true, id, at),
        (before, after) -> !Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration()));
  }

  private static boolean differ(ClusterEvent before, ClusterEvent after) {
    return !before.getPayload().equals(after.getPayload());
  }

  /** Turns an object into its event. */
  @FunctionalInterface
  interface Translation<T> {
    ClusterEvent apply(T object, String eventId, Instant observedAt);
  }
}
