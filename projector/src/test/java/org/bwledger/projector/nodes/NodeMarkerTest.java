package org.bwledger.projector.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bwledger.testkit.MockCluster;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeMarkerTest {

  private static final Taint DEDICATED = new Taint("NoSchedule", "dedicated", null, "lab");
  private static final Taint UNFIT = new Taint("NoSchedule", NodeMarking.KEY, null, "false");

  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void labelsAndTaintsFollowEachNodesFitAndLeaveEveryOtherMarkAlone() throws Exception {
    cluster.createNode("n1", Map.of("zone", "a"));
    cluster.client().nodes().resource(new NodeBuilder().withNewMetadata().withName("n2").endMetadata()
        .withNewSpec().withTaints(DEDICATED).endSpec().build()).create();
    try (NodeMarker marker = new NodeMarker(cluster.client(), new NodeMarking(true, true, 100),
        new SimpleMeterRegistry())) {
      marker.offer("n1", state("n1", 500));
      marker.offer("n2", state("n2", 50));

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(node("n1").getMetadata().getLabels())
            .containsEntry(NodeMarking.KEY, "true").containsEntry("zone", "a");
        assertThat(node("n1").getSpec().getTaints()).isNullOrEmpty();
        assertThat(node("n2").getMetadata().getLabels()).containsEntry(NodeMarking.KEY, "false");
        assertThat(node("n2").getSpec().getTaints()).containsExactly(DEDICATED, UNFIT);
      });

      cluster.takeRequests();
      marker.offer("n2", state("n2", 300));
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(node("n2").getMetadata().getLabels()).containsEntry(NodeMarking.KEY, "true");
        assertThat(node("n2").getSpec().getTaints()).containsExactly(DEDICATED);
      });
      assertThat(cluster.takeRequests()).contains("PATCH /api/v1/nodes/n2").noneMatch(r -> r.startsWith("PUT"));

      // A new state that does not change the fit writes nothing.
      cluster.takeRequests();
      marker.offer("n1", state("n1", 400));
      marker.offer("n2", state("n2", 200));
      marker.offer("n1", null); // gone: forgotten, nothing written
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> cluster.takeRequests().isEmpty());
    }
  }

  @Test
  void markingOffWritesNothing() throws Exception {
    cluster.createNode("n1", Map.of());
    cluster.takeRequests();
    try (NodeMarker marker = new NodeMarker(cluster.client(), NodeMarking.OFF, new SimpleMeterRegistry())) {
      marker.offer("n1", state("n1", 0));
      marker.offerAll(List.of(state("n1", 0)));
    }
    assertThat(cluster.takeRequests()).isEmpty();
    assertThat(node("n1").getMetadata().getLabels()).doesNotContainKey(NodeMarking.KEY);
  }

  private Node node(String name) {
    return cluster.client().nodes().withName(name).get();
  }

  /** A node of 1000 Mbit/s network each way with {@code remaining} left each way. */
  private static NodeBandwidth state(String node, long remaining) {
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L);
    LinkFigures used = new LinkFigures(1_000 - remaining, 1_000 - remaining, 1_000 - remaining, 1_000 - remaining);
    return new NodeBandwidth(node, null, capacity, used, new LinkFigures(19_000 + remaining, 19_000 + remaining,
        remaining, remaining), List.of(), List.of(), null, Instant.EPOCH, "e-1", null);
  }
}
