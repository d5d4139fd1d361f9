package org.bwledger.projector.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Of two projectors, the one holding the Lease writes status; when it stops, the other takes over. */
@WithKafka
class StatusLeaderTest {

  private static final String PREFIX = "lead.";

  @TempDir
  Path stateDir;

  @Test
  void oneReplicaWritesStatusAndAnotherTakesOverWhenItStops(TestKafka kafka) throws Exception {
    try (MockCluster cluster = new MockCluster();
         KubernetesClient clientA = cluster.newClient(); KubernetesClient clientB = cluster.newClient()) {
      Topics topics = Topics.withPrefix(PREFIX);
      kafka.createTopics(topics, 2);
      cluster.createNode("n1", Map.of());
      ProjectorService a = projector(kafka, clientA, "a");
      ProjectorService b = projector(kafka, clientB, "b");
      try (a; b) {
        await().atMost(Duration.ofSeconds(60)).until(() -> a.health().ready() && b.health().ready()
            && (a.writesStatus() ^ b.writesStatus()));
        ProjectorService leader = a.writesStatus() ? a : b;
        ProjectorService follower = leader == a ? b : a;

        TestProjectors.publish(kafka, topics, List.of(state("e-1", Instant.now().minusSeconds(60))));
        await().atMost(Duration.ofSeconds(30)).until(() -> "e-1".equals(position(cluster)));

        leader.close();
        await().atMost(Duration.ofSeconds(30)).until(follower::writesStatus);
        TestProjectors.publish(kafka, topics, List.of(state("e-2", Instant.now().minusSeconds(30))));

        await().atMost(Duration.ofSeconds(30)).until(() -> "e-2".equals(position(cluster)));
        Lease lease = cluster.client().leases().inNamespace("default").withName(PREFIX + "projector-status").get();
        assertThat(lease.getSpec().getHolderIdentity()).startsWith((follower == a ? PREFIX + "a" : PREFIX + "b") + "@");
      }
    }
  }

  private ProjectorService projector(TestKafka kafka, KubernetesClient client, String name) throws Exception {
    ProjectorService projector = new ProjectorService(TestProjectors.config(kafka, PREFIX, PREFIX + name,
        stateDir.resolve(name), 2, 50, SchedulingSettings.DEFAULT), client, Guard.NONE, Clock.systemUTC());
    projector.start();
    return projector;
  }

  private static String position(MockCluster cluster) {
    GenericKubernetesResource object = cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT)
        .withName("n1").get();
    return object != null && object.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        ? (String) status.get("ledgerPosition")
        : null;
  }

  private static NodeBandwidth state(String eventId, Instant at) {
    return NodeBandwidth.newBuilder()
        .setNode("n1").setSpec(null)
        .setCapacity(new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L))
        .setUsed(new LinkFigures(0L, 0L, 0L, 0L))
        .setRemaining(new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L))
        .setReservations(List.of()).setOversubscribed(List.of()).setOversubscribedSince(null)
        .setUpdatedAt(at).setLastEventId(eventId)
        .build();
  }
}
