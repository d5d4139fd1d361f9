package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.Map;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodAssumed;
import org.junit.jupiter.api.Test;

/** The extender reads a pod as ingest does and parses it with the ledger's parser. */
class PodDemandTest {

  private final PodDemand.Reader reader = new PodDemand.Reader(AnnotationKeys.DEFAULT);

  @Test
  void aPodIsReadWithItsBandwidthAnnotationsOnlyAndItsWorkload() {
    Pod pod = new PodBuilder().withNewMetadata()
        .withUid("u1").withNamespace("lab").withName("web-1")
        .addToAnnotations("kubernetes.io/egress-bandwidth", "100M")
        .addToAnnotations("ovn.kubernetes.io/ingress_rate", "20")
        .addToAnnotations("example.org/unrelated", "x")
        .addNewOwnerReference().withController(true).withKind("ReplicaSet").withName("web").withUid("rs-1")
        .endOwnerReference()
        .endMetadata().build();

    PodDemand demand = reader.read(pod);

    assertThat(demand).isEqualTo(new PodDemand("u1", "lab", "web-1",
        Map.of("kubernetes.io/egress-bandwidth", "100M", "ovn.kubernetes.io/ingress_rate", "20"),
        new Owner("ReplicaSet", "web", "rs-1"), "lab/rs-1", BandwidthRequest.valid(100, 20)));
    assertThat(demand.declared()).isTrue();
  }

  @Test
  void aPodNotYetCreatedIsReadForItsRequestAlone() {
    // What admission sees: no uid, no name yet, only a prefix to generate one from.
    Pod pending = new PodBuilder().withNewMetadata().withGenerateName("iperf-").withNamespace("lab")
        .addToAnnotations("kubernetes.io/egress-bandwidth", "300M")
        .addToAnnotations("example.org/unrelated", "10Mbps")
        .endMetadata().build();
    Pod bare = new PodBuilder().withNewMetadata().withGenerateName("web-").endMetadata().build();

    assertThat(reader.request(pending)).isEqualTo(BandwidthRequest.valid(300, 0));
    assertThat(reader.request(bare)).isEqualTo(BandwidthRequest.NONE);
  }

  @Test
  void aPodWithoutBandwidthAnnotationsDeclaresNothing() {
    Pod pod = new PodBuilder().withNewMetadata().withUid("u2").withNamespace("lab").withName("bare").endMetadata()
        .build();

    PodDemand demand = reader.read(pod);

    assertThat(demand.declared()).isFalse();
    assertThat(demand.workload()).isNull();
  }

  @Test
  void aBindReadBackFromItsAssumptionAsksWhatThePodAsked() {
    PodAssumed assumed = new PodAssumed("u3", "lab", "db-0", "n1", Map.of("kubernetes.io/ingress-bandwidth", "1G"),
        new Owner("StatefulSet", "db", "ss-1"), Instant.parse("2026-11-30T12:00:00Z"), "bwledger");

    PodDemand demand = reader.read(assumed);

    assertThat(demand).isEqualTo(new PodDemand("u3", "lab", "db-0", Map.of("kubernetes.io/ingress-bandwidth", "1G"),
        new Owner("StatefulSet", "db", "ss-1"), "lab/ss-1", BandwidthRequest.valid(0, 1000)));
  }
}
