package org.bwledger.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local laboratory as a user drives it from a second terminal: {@code bwctl run} with a quiet
 * simulated cluster of three nodes, the real kubectl against its simulated API, and a burst of pods
 * scheduled through its extender as kube-scheduler would (filter, prioritize, bind, again when
 * refused), bound in the simulated API.
 */
class LocalLaboratoryTest {

  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final List<String> NODES = List.of("sim-node-0", "sim-node-1", "sim-node-2");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger POD_IPS = new AtomicInteger();

  @TempDir
  static Path workDir;

  private static Process run;
  private static String api;
  private static String extender;
  private static Path kubeconfig;
  private static KubernetesClient cluster;

  @BeforeAll
  static void startTheLaboratory() throws Exception {
    int apiPort = freePort();
    int extenderPort = freePort();
    api = "http://127.0.0.1:" + apiPort;
    extender = "http://127.0.0.1:" + extenderPort + "/scheduler/";
    String java = ProcessHandle.current().info().command().orElse("java");
    run = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "org.bwledger.lab.BwctlLab", "run", "--nodes", "3", "--tick", "PT0S", "--traffic-interval", "PT0S", "--http-port", String.valueOf(apiPort),
        "--extender-port", String.valueOf(extenderPort), "--state-dir", workDir.resolve("state").toString())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("run.out").toFile())
        .start();
    kubeconfig = workDir.resolve("state/simulated.kubeconfig");
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> rest("/api/v1/nodes").path("items").size() == NODES.size());
    cluster = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    run.destroy();
    if (!run.waitFor(60, TimeUnit.SECONDS)) {
      run.destroyForcibly();
    }
  }

  @Test
  void kubectlShowsTheBooksAsTheRestApiDoesAndWatchesThemChange() throws Exception {
    createNamespace("tour");
    for (int i = 0; i < NODES.size(); i++) {
      createPod("tour", "web-" + i, NODES.get(i), 100 + 50 * i);
    }

    // Once the projector has written every status, kubectl's columns are the REST API's figures.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Map<String, Map<String, String>> table = table(kubectl("get", "bandwidths"));
      assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(NODES);
      for (String node : NODES) {
        JsonNode summary = rest("/api/v1/nodes/" + node).path("status").path("summary");
        assertThat(table.get(node)).as(node)
            .containsEntry("NET-CAPACITY", summary.path("networkCapacity").asText())
            .containsEntry("NET-USED", summary.path("networkUsed").asText())
            .containsEntry("NET-REMAINING", summary.path("networkRemaining").asText())
            .containsEntry("LOCAL-USED", summary.path("localUsed").asText())
            .containsEntry("RESERVATIONS", summary.path("reservations").asText());
        assertThat(summary.path("reservations").asInt()).isPositive();
      }
    });
    Map<String, String> wide = table(kubectl("get", "bw", "-o", "wide")).get("sim-node-0");
    JsonNode status = rest("/api/v1/nodes/sim-node-0").path("status");
    assertThat(wide).containsEntry("LOCAL-CAPACITY", status.path("summary").path("localCapacity").asText())
        .containsEntry("POSITION", status.path("ledgerPosition").asText());
    String yaml = kubectl("get", "bw", "sim-node-0", "-o", "yaml");
    assertThat(yaml).contains("kind: Bandwidth", "networkCapacity: " + status.path("summary").path("networkCapacity")
        .asText(), "podName: web-0");
    Map<String, Map<String, String>> nodes = table(kubectl("get", "nodes"));
    assertThat(nodes.keySet()).containsExactlyInAnyOrderElementsOf(NODES);
    assertThat(nodes.values()).allSatisfy(node -> assertThat(node).containsEntry("STATUS", "Ready")
        .containsEntry("ROLES", "worker"));
    assertThat(kubectl("get", "nodes,pods", "-A")).contains("node/sim-node-1", "pod/web-1").containsPattern(
        "tour\\s+pod/web-2\\s+1/1\\s+Running");

    // kubectl get bw -w prints the table, then a row for each change.
    Path watched = workDir.resolve("watch.out");
    Process watch = kubectlProcess(watched, "get", "bandwidths", "--watch");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(watched).contains("sim-node-2"));
      int before = Files.readString(watched).split("\n").length;
      createPod("tour", "web-3", "sim-node-1", 10);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        List<String> lines = Arrays.asList(Files.readString(watched).split("\n"));
        assertThat(lines.subList(before, lines.size())).anySatisfy(line ->
            assertThat(line).startsWith("sim-node-1").contains(
                rest("/api/v1/nodes/sim-node-1").path("status").path("summary").path("networkUsed").asText()));
      });
    } finally {
      watch.destroy();
    }
  }

  @Test
  void aBurstScheduledThroughTheExtenderFillsTheNodesWithoutOversubscribingAny() throws Exception {
    // The room left for 100 Mbit/s pods, whatever other tests placed first; and ten pods too many.
    long room = 0;
    for (String node : NODES) {
      room += rest("/api/v1/nodes/" + node).path("status").path("remaining").path("network").path("ulMbps").asLong()
          / 100;
    }
    long fits = room;
    assertThat(fits).as("room for 100 Mbit/s pods on three nodes").isGreaterThanOrEqualTo(NODES.size());
    createNamespace("burst");
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < fits + 10; i++) {
      pods.add(cluster.pods().inNamespace("burst").resource(new PodBuilder()
          .withNewMetadata().withName("iperf-" + i).withAnnotations(Map.of(EGRESS, "100M")).endMetadata()
          .withNewSpec().withSchedulerName("bandwidth-scheduler").addNewContainer().withName("iperf")
          .withImage("networkstatic/iperf3").endContainer().endSpec()
          .build()).create());
    }

    ExecutorService schedulers = Executors.newFixedThreadPool(8);
    Map<String, Long> bound = new TreeMap<>();
    try {
      List<Future<Optional<String>>> placed = pods.stream().map(pod -> schedulers.submit(() -> schedule(pod)))
          .toList();
      for (Future<Optional<String>> pod : placed) {
        pod.get(2, TimeUnit.MINUTES).ifPresent(node -> bound.merge(node, 1L, Long::sum));
      }
    } finally {
      schedulers.shutdownNow();
    }

    assertThat(bound.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(fits);
    System.out.printf("Burst through the extender of bwctl run: %d pods × 100 Mbit/s for room of %d; bound %s%n",
        pods.size(), fits, bound);
    for (String node : NODES) {
      assertThat(cluster.pods().inNamespace("burst").list().getItems().stream()
          .filter(pod -> node.equals(pod.getSpec().getNodeName())).count()).as(node)
          .isEqualTo(bound.getOrDefault(node, 0L));
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      for (JsonNode node : rest("/api/v1/nodes").path("items")) {
        assertThat(node.path("oversubscribed")).as(node.path("name").asText()).isEmpty();
      }
      long reserved = 0;
      for (String node : NODES) {
        for (JsonNode reservation : rest("/api/v1/nodes/" + node).path("status").path("reservations")) {
          reserved += reservation.path("namespace").asText().equals("burst") ? 1 : 0;
        }
      }
      assertThat(reserved).isEqualTo(fits);
    });
  }

  /** One pod through the extender as kube-scheduler calls it, again from filter when a bind is refused. */
  private static Optional<String> schedule(Pod pod) throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<String> passing = new ArrayList<>();
      extend("filter", Map.of("Pod", pod, "NodeNames", NODES)).path("NodeNames")
          .forEach(node -> passing.add(node.asText()));
      if (passing.isEmpty()) {
        return Optional.empty(); // unschedulable until room is freed
      }
      String best = passing.get(0);
      long top = Long.MIN_VALUE;
      for (JsonNode score : extend("prioritize", Map.of("Pod", pod, "NodeNames", passing))) {
        if (score.path("Score").asLong() > top) {
          top = score.path("Score").asLong();
          best = score.path("Host").asText();
        }
      }
      JsonNode bind = extend("bind", Map.of("PodName", pod.getMetadata().getName(), "PodNamespace",
          pod.getMetadata().getNamespace(), "PodUID", pod.getMetadata().getUid(), "Node", best));
      if (bind.path("Error").asText().isEmpty()) {
        return Optional.of(best);
      }
    }
    return Optional.empty();
  }

  private static JsonNode extend(String verb, Object body) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(extender + verb))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(verb + ": " + answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private static void createNamespace(String name) {
    cluster.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private static void createPod(String namespace, String name, String node, long egressMbps) {
    cluster.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(name).withAnnotations(Map.of(EGRESS, egressMbps + "M")).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("nginx").endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.42.9." + POD_IPS.incrementAndGet())
        .addNewContainerStatus().withName("main").withReady(true).endContainerStatus().endStatus()
        .build()).create();
  }

  /** kubectl's table output, by the first column, each row by the header's column names. */
  private static Map<String, Map<String, String>> table(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    List<int[]> spans = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String header = lines.get(0);
    var column = java.util.regex.Pattern.compile("\\S+(?: \\S+)*").matcher(header);
    while (column.find()) {
      names.add(column.group());
      spans.add(new int[] {column.start(), column.end()});
    }
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < names.size(); c++) {
        int from = spans.get(c)[0];
        int to = c + 1 < names.size() ? spans.get(c + 1)[0] : line.length();
        row.put(names.get(c), from < line.length() ? line.substring(from, Math.min(to, line.length())).trim() : "");
      }
      rows.put(row.get(names.get(0)), row);
    }
    return rows;
  }

  private static String kubectl(String... args) throws Exception {
    Path output = Files.createTempFile(workDir, "kubectl", ".out");
    Process kubectl = kubectlProcess(output, args);
    assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).as("kubectl " + String.join(" ", args) + " finished").isTrue();
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(kubectl.exitValue()).as("kubectl " + String.join(" ", args) + ":\n" + printed).isZero();
    return printed;
  }

  private static Process kubectlProcess(Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir",
        workDir.resolve("kube-cache").toString()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private static JsonNode rest(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
