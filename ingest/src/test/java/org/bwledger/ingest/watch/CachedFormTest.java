package org.bwledger.ingest.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.Map;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.kube.events.EventTranslator;
import org.junit.jupiter.api.Test;

/** An informer's cached form of an object gives the same event as the object, and is much smaller. */
class CachedFormTest {

  private final EventTranslator translator = new EventTranslator(IngestConfig.defaults().bandwidthAnnotations());

  @Test
  void aCachedPodGivesTheSameEventAsTheFullPod() {
    Pod full = new PodBuilder()
        .withNewMetadata().withNamespace("lab").withName("gossip-3").withUid("u-3").withResourceVersion("42")
        .withDeletionTimestamp("2026-11-23T10:00:00Z")
        .withLabels(Map.of("app", "gossip", "pod-template-hash", "abc"))
        .withAnnotations(Map.of("kubernetes.io/egress-bandwidth", "100M", "ovn.kubernetes.io/ingress_rate", "20",
            "kubectl.kubernetes.io/last-applied-configuration", "{\"big\": \"" + "x".repeat(5_000) + "\"}"))
        .addNewOwnerReference().withKind("Node").withName("n").withUid("n-uid").endOwnerReference()
        .addNewOwnerReference().withKind("StatefulSet").withName("gossip").withUid("s-uid").withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("worker-1")
        .addNewContainer().withName("peer").withImage("lab/gossip:1.2").withArgs("--peers", "64").endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.1.2.3")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus()
        .build();

    Pod cached = CachedForm.pods(translator.bandwidthAnnotations()).apply(full);

    assertThat(translator.podObserved(cached, "e", Instant.EPOCH)).isEqualTo(translator.podObserved(full, "e", Instant.EPOCH));
    assertThat(translator.podGone(cached, "e", Instant.EPOCH)).isEqualTo(translator.podGone(full, "e", Instant.EPOCH));
    assertThat(Serialization.asJson(cached).length()).isLessThan(Serialization.asJson(full).length() / 10);
  }

  @Test
  void aCachedNodeGivesTheSameEventAsTheFullNode() {
    Node full = new NodeBuilder()
        .withNewMetadata().withName("worker-1").withResourceVersion("7")
        .withLabels(Map.of("kubernetes.io/hostname", "worker-1", "networking.vaclab.org/link", "10G"))
        .withAnnotations(Map.of("networking.vaclab.org/uplink", "1000", "node.alpha.kubernetes.io/ttl", "0"))
        .endMetadata()
        .withNewStatus().addNewImage().withNames("registry/" + "i".repeat(3_000)).endImage().endStatus()
        .build();

    Node cached = CachedForm.nodes().apply(full);

    assertThat(translator.nodeObserved(cached, "e", Instant.EPOCH))
        .isEqualTo(translator.nodeObserved(full, "e", Instant.EPOCH));
    assertThat(cached.getMetadata().getLabels()).containsOnlyKeys("networking.vaclab.org/link");
  }
}
