package org.bwledger.ingest.watch;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.bwledger.kube.events.EventTranslator;

/**
 * What an informer keeps of each object: only the fields the events are made of. A real pod or node
 * carries kilobytes ingest never reads (containers, images, conditions, managed fields); keeping
 * them for 50,000 pods would cost gigabytes, as controller-runtime's cache transforms also avoid.
 */
final class CachedForm {

  private CachedForm() {}

  /** A pod's identity, owners, the given annotations, node, phase and IP. */
  static UnaryOperator<Pod> pods(Set<String> annotations) {
    return pod -> new PodBuilder()
        .withMetadata(metadata(pod.getMetadata(), annotations::contains, key -> false))
        .withNewSpec().withNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName()).endSpec()
        .withNewStatus()
        .withPhase(pod.getStatus() == null ? null : pod.getStatus().getPhase())
        .withPodIP(pod.getStatus() == null ? null : pod.getStatus().getPodIP())
        .endStatus()
        .build();
  }

  /** A node's identity and its capacity hints. */
  static UnaryOperator<Node> nodes() {
    Predicate<String> hint = key -> key.startsWith(EventTranslator.CAPACITY_HINT_PREFIX);
    return node -> new NodeBuilder().withMetadata(metadata(node.getMetadata(), hint, hint)).build();
  }

  private static ObjectMeta metadata(ObjectMeta meta, Predicate<String> annotations, Predicate<String> labels) {
    return new ObjectMetaBuilder()
        .withUid(meta.getUid())
        .withNamespace(meta.getNamespace())
        .withName(meta.getName())
        .withResourceVersion(meta.getResourceVersion())
        .withGeneration(meta.getGeneration())
        .withDeletionTimestamp(meta.getDeletionTimestamp())
        .withOwnerReferences(meta.getOwnerReferences())
        .withAnnotations(only(meta.getAnnotations(), annotations))
        .withLabels(only(meta.getLabels(), labels))
        .build();
  }

  private static Map<String, String> only(Map<String, String> entries, Predicate<String> keep) {
    if (entries == null) {
      return null;
    }
    Map<String, String> kept = new TreeMap<>();
    entries.forEach((key, value) -> {
      if (keep.test(key)) {
        kept.put(key, value);
      }
    });
    return kept;
  }
}
