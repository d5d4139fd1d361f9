package org.bwledger.bwctl.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.testkit.MockCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bwctl record} with namespace and label filters, for a set duration, against the simulated API. */
class RecordCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void recordsOnlyTheSelectedPodsAndStopsAfterTheDuration() throws Exception {
    Path trace = dir.resolve("trace.json");
    try (MockCluster cluster = new MockCluster()) {
      Path kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
      cluster.createNode("n1", Map.of());
      labelled(cluster, "lab", "web-0", "web");
      labelled(cluster, "lab", "db-0", "db");
      labelled(cluster, "other", "web-1", "web");

      long start = System.nanoTime();
      // a thread of its own, as a command has: on the common pool, the client's callbacks would wait for it
      FutureTask<BwctlRun> record = new FutureTask<>(() -> BwctlRun.bwctl("record",
          "--kubeconfig", kubeconfig.toString(), "-n", "lab", "-l", "app=web", "--duration", "PT4S",
          "-o", trace.toString()));
      new Thread(record, "bwctl-record").start();
      await().atMost(Duration.ofSeconds(10)).until(() -> names(trace).contains("ADDED web-0"));
      labelled(cluster, "lab", "web-2", "web");
      cluster.client().pods().inNamespace("lab").withName("web-0")
          .edit(pod -> { pod.getMetadata().getLabels().put("app", "retired"); return pod; });
      BwctlRun run = record.get(20, TimeUnit.SECONDS);

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(System.nanoTime() - start).as("ran for its duration").isGreaterThanOrEqualTo(4_000_000_000L);
      assertThat(run.err()).contains("for PT4S").containsPattern("recorded \\d+ events to ");
      assertThat(names(trace)).contains("ADDED n1", "ADDED web-0", "ADDED web-2", "DELETED web-0")
          .noneMatch(event -> event.endsWith("db-0") || event.endsWith("web-1"));
    }
  }

  @Test
  void aSelectorThatIsNotOneIsRefusedBeforeConnecting() {
    BwctlRun run = BwctlRun.bwctl("record", "--kubeconfig", "no-such-kubeconfig", "-l", "app=>web");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'app=>web' is not a label requirement");
  }

  private static Pod labelled(MockCluster cluster, String namespace, String name, String app) {
    Pod pod = cluster.createPod(namespace, name, "n1", null, Map.of());
    return cluster.client().pods().inNamespace(namespace).withName(name)
        .edit(p -> { p.getMetadata().setLabels(new HashMap<>(Map.of("app", app))); return p; });
  }

  /** Each event of the trace as its type and object name. */
  private static List<String> names(Path trace) throws Exception {
    if (!Files.exists(trace)) {
      return List.of();
    }
    return Files.readAllLines(trace).stream().map(line -> {
      try {
        JsonNode event = JSON.readTree(line);
        return event.path("type").asText() + " " + event.at("/object/metadata/name").asText();
      } catch (Exception e) {
        return "partial line";
      }
    }).toList();
  }
}
