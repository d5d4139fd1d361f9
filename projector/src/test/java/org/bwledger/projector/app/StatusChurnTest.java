package org.bwledger.projector.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of state changes for a few nodes cost far fewer status writes, and the last state is what
 * stays; queries asked all through the churn keep being answered.
 */
@WithKafka
class StatusChurnTest {

  private static final int NODES = 3;
  private static final int CHANGES_PER_NODE = 1_000;

  @TempDir
  Path stateDir;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void churnIsCoalescedIntoFewWritesAndTheFinalStatusIsTheFinalState(TestKafka kafka) throws Exception {
    try (MockCluster cluster = new MockCluster()) {
      Topics topics = Topics.withPrefix("churn.");
      kafka.createTopics(topics, 2);
      for (int n = 0; n < NODES; n++) {
        cluster.createNode("node-" + n, Map.of());
      }
      try (KubernetesClient client = cluster.newClient();
           ProjectorService projector = new ProjectorService(TestProjectors.config(kafka, "churn.", "churn-projector",
               stateDir, 2, 20, SchedulingSettings.DEFAULT), client, Guard.NONE, Clock.systemUTC())) {
        projector.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> projector.health().ready());
        cluster.takeRequests();

        // Readers of every kind, as the API, the status writer and the extender ask while states pour in.
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        for (int r = 0; r < 3; r++) {
          readers.submit(() -> {
            while (churning.get()) {
              try {
                projector.queries().latest("node-0");
                projector.queries().all();
                projector.queries().at("node-1", Instant.now());
                answered.incrementAndGet();
              } catch (NodeQueries.NotReadyException e) {
                // rebalancing: asked again
              }
            }
          });
        }

        Map<String, NodeBandwidth> last = new HashMap<>();
        try (KafkaProducer<String, NodeBandwidth> producer = new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            topics.nodeBandwidth().keySerde().serializer(), topics.nodeBandwidth().valueSerde().serializer())) {
          Instant clock = Instant.now().minus(Duration.ofHours(1)); // the broker refuses timestamps far in the future
          for (int change = 1; change <= CHANGES_PER_NODE; change++) {
            for (int n = 0; n < NODES; n++) {
              clock = clock.plusMillis(10);
              NodeBandwidth state = state("node-" + n, change, clock);
              last.put(state.getNode(), state);
              producer.send(new ProducerRecord<>(topics.nodeBandwidth().name(), null, clock.toEpochMilli(),
                  state.getNode(), state));
            }
          }
        }

        BandwidthObjects objects = new BandwidthObjects(json);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          for (NodeBandwidth state : last.values()) {
            assertThat(statusOf(cluster, state.getNode())).isEqualTo(json.readTree(json.writeValueAsBytes(
                objects.status(state))));
          }
        });
        churning.set(false);
        readers.shutdown();
        assertThat(readers.awaitTermination(30, TimeUnit.SECONDS))
            .as("readers finished; deadlocked threads: %s", deadlocked()).isTrue();
        assertThat(answered.get()).isPositive();
        for (NodeBandwidth state : last.values()) {
          assertThat(projector.queries().latest(state.getNode())).contains(state);
        }
        long statusWrites = cluster.takeRequests().stream().filter(r -> r.startsWith("PUT") && r.endsWith("/status"))
            .count();
        assertThat(statusWrites).isPositive().isLessThan(NODES * CHANGES_PER_NODE / 10);
      }
    }
  }

  private static List<String> deadlocked() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] ids = threads.findDeadlockedThreads();
    return ids == null ? List.of() : Arrays.stream(threads.getThreadInfo(ids)).map(ThreadInfo::getThreadName).toList();
  }

  private JsonNode statusOf(MockCluster cluster, String node) {
    GenericKubernetesResource object = cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT)
        .withName(node).get();
    if (object == null || object.getAdditionalProperties().get("status") == null) {
      return null;
    }
    ObjectNode status = json.valueToTree(object.getAdditionalProperties().get("status"));
    status.remove("observedGeneration");
    return status;
  }

  /** A state whose figures say which change it is. */
  private static NodeBandwidth state(String node, int change, Instant at) {
    List<Reservation> reservations = new ArrayList<>();
    for (int r = 0; r < change % 5; r++) {
      reservations.add(new Reservation("uid-" + r, "lab", "pod-" + r, null, null, ReservationState.ACTIVE, null,
          (long) change, 0L, false));
    }
    long used = (long) change * reservations.size();
    return NodeBandwidth.newBuilder()
        .setNode(node)
        .setSpec(null)
        .setCapacity(new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L))
        .setUsed(new LinkFigures(used, 0L, used, 0L))
        .setRemaining(new LinkFigures(20_000L - used, 20_000L, 1_000L - used, 1_000L))
        .setReservations(reservations)
        .setOversubscribed(used > 1_000 ? List.of("network-ul") : List.of())
        .setOversubscribedSince(used > 1_000 ? at : null)
        .setUpdatedAt(at)
        .setLastEventId("change-" + change)
        .build();
  }
}
