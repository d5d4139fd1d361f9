package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.extender.BindRequest;
import org.bwledger.projector.extender.PodBinder;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.projector.testing.ExtenderClient;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The burst of issue 6: three nodes of 1000 Mbit/s network, sixty pods of 100 Mbit/s egress arriving
 * at once, each scheduled as kube-scheduler would (filter, prioritize, bind; a refused bind tried
 * again from filter), all sixty concurrently, through the whole pipeline: binds reach the mock API,
 * ingest sees the pods placed, the ledger folds them. Split between two projector replicas, the
 * burst stays exact: the replica holding the Lease decides every call. The same burst against a
 * filter that reads only the last published state, as the existing operator's plugin does,
 * oversubscribes.
 */
@WithKafka
class BurstTest {

  private static final int PODS = 60;
  private static final int ATTEMPTS = 10;
  private static final String EGRESS = "kubernetes.io/egress-bandwidth";

  private static MockCluster cluster;
  private static Pipeline pipeline;

  @TempDir
  static Path stateDir;

  @BeforeAll
  static void start(TestKafka kafka) throws Exception {
    cluster = new MockCluster();
    pipeline = new Pipeline(kafka, cluster, "burst.", stateDir);
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
    cluster.close();
  }

  /** How one scheduler places one pod: the candidates that pass, the one it picks, and the bind's error. */
  private interface Scheduler {
    List<String> filter(Pod pod, List<String> nodes) throws Exception;

    String pick(Pod pod, List<String> passing) throws Exception;

    String bind(Pod pod, String node) throws Exception;
  }

  @Test
  void theExtenderBindsExactlyWhatFitsAndNoNodeIsOversubscribed() throws Exception {
    List<String> nodes = nodes("x");
    List<Pod> pods = pods("x");

    ExtenderOverHttp extender = new ExtenderOverHttp(pipeline.projector());
    Map<String, Long> bound = burst(pod -> extender, pods, nodes);

    assertThat(bound.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
    assertThat(bound).allSatisfy((node, count) -> assertThat(count).isEqualTo(10));
    // The ledger folds the same: thirty reservations, every node full, none over.
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        List<NodeBandwidth> states = states(nodes);
        assertThat(states).allSatisfy(state -> {
          assertThat(state.getReservations()).hasSize(10);
          assertThat(state.getRemaining().getNetworkUlMbps()).isZero();
          assertThat(state.getOversubscribed()).isEmpty();
        });
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("The folded states never showed the binds. The pipeline's threads:\n"
          + Pipeline.threads(), e);
    }
    System.out.printf("Burst of %d pods × 100 Mbit/s on 3 nodes × 1000 Mbit/s, extender: %d bound, "
        + "0 nodes oversubscribed%n", PODS, 30);
  }

  @Test
  void twoReplicasDecideAsOneSoABurstSplitBetweenThemStaysExact(TestKafka kafka) throws Exception {
    List<String> nodes = nodes("z");
    List<Pod> pods = pods("z");
    try (KubernetesClient client = cluster.newClient();
         ProjectorService second = new ProjectorService(TestProjectors.config(kafka, "burst.", "burst.projector-b",
             stateDir.resolve("projector-b"), 2, 50, SchedulingSettings.DEFAULT), client, Guard.NONE, Clock.systemUTC())) {
      second.start();
      ProjectorService first = pipeline.projector();
      await().atMost(Duration.ofSeconds(60)).until(() -> second.health().ready()
          && (first.decidesExtenderCalls() ^ second.decidesExtenderCalls()));

      // Each pod's calls go to one replica or the other, as a Service would spread them.
      Map<String, Long> bound = burst(pod -> new ExtenderOverHttp(
          Integer.parseInt(pod.getMetadata().getName().replaceAll("\\D", "")) % 2 == 0 ? first : second), pods, nodes);

      assertThat(bound.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30);
      assertThat(bound).allSatisfy((node, count) -> assertThat(count).isEqualTo(10));
    } finally {
      // One replica again: it decides once it holds the Lease, as the other tests expect.
      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.projector().decidesExtenderCalls());
    }
  }

  @Test
  void aFilterThatReadsOnlyThePublishedStateOversubscribes() throws Exception {
    List<String> nodes = nodes("y");
    List<Pod> pods = pods("y");

    PublishedStateOnly published = new PublishedStateOnly();
    Map<String, Long> bound = burst(pod -> published, pods, nodes);

    long total = bound.values().stream().mapToLong(Long::longValue).sum();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(states(nodes).stream()
        .mapToInt(state -> state.getReservations().size()).sum()).isEqualTo(total));
    List<NodeBandwidth> states = states(nodes);
    long oversubscribed = states.stream().filter(state -> !state.getOversubscribed().isEmpty()).count();
    long worst = states.stream().mapToLong(state -> state.getUsed().getNetworkUlMbps()).max().orElseThrow();
    System.out.printf("Burst of %d pods × 100 Mbit/s on 3 nodes × 1000 Mbit/s, published-state filter: %d bound, "
        + "%d nodes oversubscribed (worst at %d of 1000 Mbit/s)%n", PODS, total, oversubscribed, worst);
    assertThat(oversubscribed).isPositive();
  }

  /** Schedules every pod at once, each on its own thread; returns how many pods each node got. */
  private Map<String, Long> burst(Function<Pod, Scheduler> schedulers, List<Pod> pods, List<String> nodes)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(pods.size());
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Optional<String>>> placed = new ArrayList<>();
      for (Pod pod : pods) {
        Scheduler scheduler = schedulers.apply(pod);
        placed.add(threads.submit(() -> {
          go.await();
          for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<String> passing = scheduler.filter(pod, nodes);
            if (passing.isEmpty()) {
              return Optional.<String>empty(); // unschedulable: it waits for room
            }
            String node = scheduler.pick(pod, passing);
            if (scheduler.bind(pod, node).isEmpty()) {
              return Optional.of(node);
            }
          }
          return Optional.<String>empty();
        }));
      }
      go.countDown();
      Map<String, Long> bound = new TreeMap<>();
      nodes.forEach(node -> bound.put(node, 0L));
      for (Future<Optional<String>> pod : placed) {
        pod.get().ifPresent(node -> bound.merge(node, 1L, Long::sum));
      }
      // What the API server holds agrees with what the binds said.
      for (String node : nodes) {
        assertThat(cluster.client().pods().inAnyNamespace().list().getItems().stream()
            .filter(p -> node.equals(p.getSpec().getNodeName())).count()).isEqualTo(bound.get(node));
      }
      return bound;
    } finally {
      threads.shutdownNow();
    }
  }

  /** The highest scored node; among equals, one at random, as kube-scheduler picks. */
  private static String best(Map<String, Long> scores) {
    long top = scores.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    List<String> tied = scores.entrySet().stream().filter(e -> e.getValue() == top).map(Map.Entry::getKey).toList();
    return tied.get(ThreadLocalRandom.current().nextInt(tied.size()));
  }

  private List<String> nodes(String prefix) {
    List<String> nodes = IntStream.rangeClosed(1, 3).mapToObj(i -> prefix + "-node-" + i).toList();
    nodes.forEach(node -> cluster.createNode(node, Map.of()));
    await().atMost(Duration.ofSeconds(60)).until(() -> states(nodes).size() == nodes.size());
    return nodes;
  }

  private List<Pod> pods(String prefix) {
    return IntStream.range(0, PODS)
        .mapToObj(i -> cluster.createPod(prefix, "iperf-" + i, "", "iperf", Map.of(EGRESS, "100M")))
        .toList();
  }

  private List<NodeBandwidth> states(List<String> nodes) {
    NodeQueries queries = pipeline.projector().queries();
    List<NodeBandwidth> states = new ArrayList<>();
    for (String node : nodes) {
      try {
        queries.latest(node).ifPresent(states::add);
      } catch (NodeQueries.NotReadyException e) {
        return List.of();
      }
    }
    return states;
  }

  /** kube-scheduler's calls to a projector's extender, as its HTTP client makes them. */
  private static final class ExtenderOverHttp implements Scheduler {
    private final ExtenderClient extender;

    ExtenderOverHttp(ProjectorService projector) {
      this.extender = new ExtenderClient(projector);
    }

    @Override
    public List<String> filter(Pod pod, List<String> nodes) throws Exception {
      JsonNode answer = extender.post("filter", Map.of("Pod", pod, "NodeNames", nodes));
      List<String> passing = new ArrayList<>();
      answer.get("NodeNames").forEach(node -> passing.add(node.asText()));
      return passing;
    }

    @Override
    public String pick(Pod pod, List<String> passing) throws Exception {
      Map<String, Long> scores = new TreeMap<>();
      extender.post("prioritize", Map.of("Pod", pod, "NodeNames", passing))
          .forEach(score -> scores.put(score.get("Host").asText(), score.get("Score").asLong()));
      return best(scores);
    }

    @Override
    public String bind(Pod pod, String node) throws Exception {
      return extender.post("bind", Map.of("PodName", pod.getMetadata().getName(), "PodNamespace",
          pod.getMetadata().getNamespace(), "PodUID", pod.getMetadata().getUid(), "Node", node)).get("Error").asText();
    }
  }

  /** The existing operator's way: pass a node if its last published state has room, then bind. */
  private final class PublishedStateOnly implements Scheduler {

    @Override
    public List<String> filter(Pod pod, List<String> nodes) {
      return states(nodes).stream().filter(state -> state.getRemaining().getNetworkUlMbps() >= 100)
          .map(NodeBandwidth::getNode).toList();
    }

    @Override
    public String pick(Pod pod, List<String> passing) {
      Map<String, Long> scores = new TreeMap<>();
      states(passing).forEach(state -> scores.put(state.getNode(), state.getRemaining().getNetworkUlMbps()));
      return best(scores);
    }

    @Override
    public String bind(Pod pod, String node) {
      try {
        new PodBinder(cluster.client()).bind(new BindRequest(pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(), pod.getMetadata().getUid(), node));
        return "";
      } catch (KubernetesClientException e) {
        return e.getMessage();
      }
    }
  }
}
