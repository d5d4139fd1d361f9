package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.nodes.NodeMarking;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.EventLogReader;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node marks as a user turns them on: pods fill a node, it is tainted; they leave, the taint goes. */
@WithKafka
class NodeMarksThroughThePipelineTest {

  @TempDir
  Path stateDir;

  @Test
  void aNodeShortOfBandwidthIsLabelledAndTaintedUntilRoomReturns(TestKafka kafka) throws Exception {
    SchedulingSettings marking = SchedulingSettings.DEFAULT.withNodeMarking(new NodeMarking(true, true, 100));
    try (MockCluster cluster = new MockCluster();
         Pipeline pipeline = new Pipeline(kafka, cluster, "marks.", stateDir, marking)) {
      cluster.createNode("n1", Map.of());
      cluster.createNode("n2", Map.of());
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(label(cluster, "n1")).isEqualTo("true");
        assertThat(label(cluster, "n2")).isEqualTo("true");
      });

      cluster.createPod("lab", "hog", "n1", null, Map.of("kubernetes.io/egress-bandwidth", "950M"));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(label(cluster, "n1")).isEqualTo("false");
        assertThat(node(cluster, "n1").getSpec().getTaints()).extracting(t -> t.getKey() + "=" + t.getValue()
            + ":" + t.getEffect()).containsExactly(NodeMarking.KEY + "=false:NoSchedule");
      });
      assertThat(node(cluster, "n2").getSpec() == null || node(cluster, "n2").getSpec().getTaints() == null
          || node(cluster, "n2").getSpec().getTaints().isEmpty()).isTrue();

      cluster.client().pods().inNamespace("lab").withName("hog").delete();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        assertThat(label(cluster, "n1")).isEqualTo("true");
        assertThat(node(cluster, "n1").getSpec().getTaints()).isNullOrEmpty();
      });

      // The marks changed n1 three times; none of it is a change the ledger hears of.
      try (EventLogReader log = new EventLogReader(kafka.bootstrapServers(),
          Topics.withPrefix("marks.").clusterEvents())) {
        List<ClusterEvent> events = log.readUntil(all -> all.stream().anyMatch(e -> e.getPayload() instanceof PodGone));
        assertThat(events).filteredOn(e -> e.getPayload() instanceof NodeObserved n && n.getName().equals("n1"))
            .hasSize(1);
      }
    }
  }

  private static Node node(MockCluster cluster, String name) {
    return cluster.client().nodes().withName(name).get();
  }

  private static String label(MockCluster cluster, String name) {
    Map<String, String> labels = node(cluster, name).getMetadata().getLabels();
    return labels == null ? null : labels.get(NodeMarking.KEY);
  }
}
