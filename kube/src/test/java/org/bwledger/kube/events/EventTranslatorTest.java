package org.bwledger.kube.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.junit.jupiter.api.Test;

class EventTranslatorTest {

  private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  private final EventTranslator translator =
      new EventTranslator(Set.of("kubernetes.io/egress-bandwidth", "ovn.kubernetes.io/ingress_rate"));

  @Test
  void aPodCarriesOnlyWhatTheRulesNeedWithAnnotationsRaw() {
    Pod pod = new PodBuilder()
        .withNewMetadata()
            .withUid("uid-1").withNamespace("lab").withName("iperf-0").withResourceVersion("42")
            .withAnnotations(Map.of(
                "kubernetes.io/egress-bandwidth", " 100M",
                "ovn.kubernetes.io/ingress_rate", "abc",
                "unrelated/annotation", "x"))
            .addNewOwnerReference().withKind("Node").withName("n").withUid("not-controller").endOwnerReference()
            .addNewOwnerReference().withKind("StatefulSet").withName("iperf").withUid("sts-1").withController(true)
            .endOwnerReference()
            .withDeletionTimestamp("2026-11-22T09:59:59Z")
        .endMetadata()
        .withNewSpec().withNodeName("worker-1").endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.0.0.7").endStatus()
        .build();

    ClusterEvent event = translator.podObserved(pod, "e-1", AT);

    assertThat(event.getEventId()).isEqualTo("e-1");
    assertThat(event.getObservedAt()).isEqualTo(AT);
    assertThat(event.getResourceVersion()).isEqualTo("42");
    assertThat(event.getPayload()).isEqualTo(new PodObserved("uid-1", "lab", "iperf-0", "worker-1", "Running", true,
        Map.of("kubernetes.io/egress-bandwidth", " 100M", "ovn.kubernetes.io/ingress_rate", "abc"),
        new Owner("StatefulSet", "iperf", "sts-1"), "10.0.0.7"));
  }

  @Test
  void aPodNotYetScheduledHasAnEmptyNodeAndNoStatus() {
    Pod pending = new PodBuilder().withNewMetadata().withUid("uid-2").withNamespace("lab").withName("p").endMetadata()
        .build();

    PodObserved observed = (PodObserved) translator.podObserved(pending, "e-2", AT).getPayload();

    assertThat(observed.getNodeName()).isEmpty();
    assertThat(observed.getPhase()).isEmpty();
    assertThat(observed.getDeletionRequested()).isFalse();
    assertThat(observed.getBandwidthAnnotations()).isEmpty();
    assertThat(observed.getController()).isNull();
    assertThat(observed.getPodIp()).isNull();
  }

  /** A hand-made trace may leave them out; the API server never does. As for a deleted pod, empty. */
  @Test
  void aPodWithoutNamespaceOrNameIsObservedWithEmptyOnes() {
    Pod bare = new PodBuilder().withNewMetadata().withUid("uid-4").endMetadata().build();

    PodObserved observed = (PodObserved) translator.podObserved(bare, "e-4", AT).getPayload();

    assertThat(observed.getNamespace()).isEmpty();
    assertThat(observed.getName()).isEmpty();
  }

  @Test
  void aDeletedPodIsGoneWithItsLastKnownPlace() {
    Pod pod = new PodBuilder().withNewMetadata().withUid("uid-3").withNamespace("lab").withName("p").endMetadata()
        .withNewSpec().withNodeName("worker-2").endSpec().build();

    assertThat(translator.podGone(pod, "e-3", AT).getPayload()).isEqualTo(new PodGone("uid-3", "lab", "p", "worker-2"));
  }

  @Test
  void aNodeCarriesItsBandwidthHintsOnly() {
    Node node = new NodeBuilder().withNewMetadata().withName("worker-1")
        .withLabels(Map.of("kubernetes.io/hostname", "worker-1", "networking.vaclab.org/network-ul", "10000"))
        .endMetadata().build();

    assertThat(translator.nodeObserved(node, "e-4", AT).getPayload())
        .isEqualTo(new NodeObserved("worker-1", Map.of("networking.vaclab.org/network-ul", "10000")));
  }

  @Test
  void aBandwidthSpecBecomesACapacityEditKeepingOnlyWholeNumbers() {
    GenericKubernetesResource bandwidth = bandwidth(Map.of(
        "node", "worker-3",
        "capacity", Map.of(
            "local", Map.of("ulMbps", 40000, "dlMbps", "lots"),
            "network", Map.of("ulMbps", 10000L, "dlMbps", -5))));

    ClusterEvent event = translator.capacitySet(bandwidth, false, "e-5", AT);

    assertThat(event.getPayload()).isEqualTo(new CapacitySet("worker-3", new CapacitySpec(40000L, null, 10000L, null)));
  }

  @Test
  void aBandwidthWithoutCapacityOrDeletedClearsTheSpec() {
    GenericKubernetesResource bandwidth = bandwidth(Map.of("node", "worker-3"));

    assertThat(translator.capacitySet(bandwidth, false, "e-6", AT).getPayload())
        .isEqualTo(new CapacitySet("worker-3", null));
    assertThat(translator.capacitySet(bandwidth(Map.of("capacity", Map.of("local", Map.of("ulMbps", 1)))), true, "e-7", AT)
        .getPayload()).isEqualTo(new CapacitySet("worker-3", null));
  }

  private static GenericKubernetesResource bandwidth(Map<String, Object> spec) {
    GenericKubernetesResource bandwidth = new GenericKubernetesResourceBuilder()
        .withApiVersion("networking.vaclab.org/v1").withKind("Bandwidth")
        .withNewMetadata().withName("worker-3").withGeneration(2L).endMetadata()
        .build();
    bandwidth.setAdditionalProperty("spec", spec);
    return bandwidth;
  }
}
