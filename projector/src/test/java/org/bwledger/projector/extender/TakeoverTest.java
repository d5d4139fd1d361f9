package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.ExtenderClient;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that takes over deciding holds the binds the one before it made, although no published
 * state shows them. No ledger runs here, so the published state of the node never does: only the
 * binds read back from the log keep the new decider from passing the node on room already taken.
 */
@WithKafka
class TakeoverTest {

  private static final String PREFIX = "takeover.";

  @TempDir
  Path stateDir;

  @Test
  void theReplicaTakingOverHoldsTheBindsItsPredecessorMadeThatNoStateShowsYet(TestKafka kafka) throws Exception {
    try (MockCluster cluster = new MockCluster();
         KubernetesClient firstClient = cluster.newClient(); KubernetesClient secondClient = cluster.newClient();
         ProjectorService first = replica(kafka, firstClient, "a");
         ProjectorService second = replica(kafka, secondClient, "b")) {
      Topics topics = Topics.withPrefix(PREFIX);
      kafka.createTopics(topics, 3);
      NodeBandwidth empty = States.node("n1", List.of()); // 1000 Mbit/s of network uplink, all free
      empty.setUpdatedAt(Instant.now());
      TestProjectors.publish(kafka, topics, List.of(empty));
      first.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> first.health().ready() && first.decidesExtenderCalls());
      second.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> second.health().ready());

      ExtenderClient toFirst = new ExtenderClient(first);
      for (int i = 0; i < 10; i++) {
        Pod pod = cluster.createPod("lab", "iperf-" + i, "", "iperf", Map.of("kubernetes.io/egress-bandwidth", "100M"));
        assertThat(toFirst.post("filter", Map.of("Pod", pod, "NodeNames", List.of("n1"))).get("NodeNames"))
            .hasSize(1);
        assertThat(toFirst.post("bind", Map.of("PodName", pod.getMetadata().getName(), "PodNamespace", "lab",
            "PodUID", pod.getMetadata().getUid(), "Node", "n1")).get("Error").asText()).isEmpty();
      }
      first.close(); // releases the Lease: the second replica takes over at once
      await().atMost(Duration.ofSeconds(60)).until(second::decidesExtenderCalls);

      Pod next = cluster.createPod("lab", "iperf-10", "", "iperf", Map.of("kubernetes.io/egress-bandwidth", "100M"));
      JsonNode answer = new ExtenderClient(second).post("filter", Map.of("Pod", next, "NodeNames", List.of("n1")));
      assertThat(answer.get("NodeNames")).isEmpty();
      assertThat(answer.get("FailedNodes").get("n1").asText())
          .isEqualTo("network-ul needs 100 Mbit/s, 0 remain (1000 held by binds in flight)");
      assertThat(second.queries().latest("n1").orElseThrow().getRemaining().getNetworkUlMbps()).isEqualTo(1000);
    }
  }

  private ProjectorService replica(TestKafka kafka, KubernetesClient client, String name) throws Exception {
    return new ProjectorService(TestProjectors.config(kafka, PREFIX, PREFIX + "projector-" + name,
        stateDir.resolve(name), 3, 50, SchedulingSettings.DEFAULT), client, Guard.NONE, Clock.systemUTC());
  }
}
