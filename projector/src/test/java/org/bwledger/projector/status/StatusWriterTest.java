package org.bwledger.projector.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bwledger.testkit.MockCluster;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The status writer against the mock API: what it creates, what it leaves alone. */
class StatusWriterTest {

  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  private final MockCluster cluster = new MockCluster();
  private final StatusWriter writer = new StatusWriter(cluster.newClient(), new ObjectMapper(), 100, 2,
      Clock.systemUTC(), new SimpleMeterRegistry());

  @AfterEach
  void close() {
    writer.close();
    cluster.close();
  }

  @Test
  void aMissingObjectIsCreatedOwnedByItsNodeWithTheStatus() {
    cluster.createNode("n1", Map.of());

    writer.offer("n1", state("n1", 100, T, "e-1"));

    await().until(() -> "e-1".equals(position("n1")));
    GenericKubernetesResource object = bandwidth("n1");
    assertThat(object.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo("n1"));
    assertThat(object.getAdditionalProperties().get("spec")).isEqualTo(Map.of("node", "n1"));
  }

  @Test
  void aUsersSpecIsNeverWritten() {
    cluster.createNode("n1", Map.of());
    cluster.createBandwidth("n1", Map.of("node", "n1", "capacity", Map.of("network", Map.of("ulMbps", 500))));

    writer.offer("n1", state("n1", 100, T, "e-1"));

    await().until(() -> "e-1".equals(position("n1")));
    assertThat(bandwidth("n1").getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("node", "n1", "capacity", Map.of("network", Map.of("ulMbps", 500))));
  }

  @Test
  void aStaleStateNeverOverwritesANewerStatus() throws Exception {
    cluster.createNode("n1", Map.of());
    writer.offer("n1", state("n1", 200, T.plusSeconds(10), "e-2"));
    await().until(() -> "e-2".equals(position("n1")));

    writer.offer("n1", state("n1", 100, T, "e-1")); // e.g. a lagging projector replaying older states
    await().until(writer::idle);

    assertThat(position("n1")).isEqualTo("e-2");
  }

  @Test
  void aNodeNotInTheApiGetsNoObjectForNothingWouldOwnIt() {
    cluster.createNode("n2", Map.of());
    writer.offer("n1", state("n1", 100, T, "e-1"));
    writer.offer("n2", state("n2", 100, T, "e-1"));

    await().until(() -> "e-1".equals(position("n2")) && writer.idle());
    assertThat(bandwidth("n1")).isNull();
  }

  private String position(String node) {
    GenericKubernetesResource object = bandwidth(node);
    return object != null && object.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        ? (String) status.get("ledgerPosition")
        : null;
  }

  private GenericKubernetesResource bandwidth(String node) {
    return cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT).withName(node).get();
  }

  private static NodeBandwidth state(String node, long usedMbps, Instant at, String eventId) {
    return NodeBandwidth.newBuilder()
        .setNode(node).setSpec(null)
        .setCapacity(new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L))
        .setUsed(new LinkFigures(usedMbps, 0L, usedMbps, 0L))
        .setRemaining(new LinkFigures(20_000L - usedMbps, 20_000L, 1_000L - usedMbps, 1_000L))
        .setReservations(List.of()).setOversubscribed(List.of()).setOversubscribedSince(null)
        .setUpdatedAt(at).setLastEventId(eventId)
        .build();
  }
}
