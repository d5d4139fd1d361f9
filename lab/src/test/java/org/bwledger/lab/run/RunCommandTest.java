package org.bwledger.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bwledger.bwctl.testing.BwctlRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bwctl run} as a user starts it: a process of its own, stopped with Ctrl-C (SIGINT). */
class RunCommandTest {

  @TempDir
  Path workDir;

  @Test
  void runServesNodesWithReservationsAndStopsCleanlyOnSigint() throws Exception {
    runUntilNodesHoldReservationsThenSigint("first", port -> {
      // bwctl get asks the running projector, as a second terminal would
      String server = "http://127.0.0.1:" + port;
      BwctlRun nodes = bwctl("get", "--server", server);
      assertThat(nodes.exitCode()).isZero();
      assertThat(nodes.out().lines()).hasSize(7).first().asString().startsWith("NAME").contains("NET-REMAINING");
      BwctlRun node = bwctl("get", "--server", server, "sim-node-0");
      assertThat(node.out()).contains("sim-node-0").containsPattern("NAMESPACE\\s+POD\\s+OWNER");
      // the simulated traffic, sampled every second, shows beside what the pods reserved
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bwctl("get", "--server", server).out())
          .containsPattern("NET-USED .* MEASURED\n").containsPattern("sim-node-0 .* \\d+\\.\\d/\\d+\\.\\d\n"));
      BwctlRun unknown = bwctl("get", "--server", server, "nowhere");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.err()).contains("no node 'nowhere'");
    });
    Path formatted = workDir.resolve("state/kafka/log/meta.properties"); // written by Kafka's format, once
    var formattedAt = Files.getLastModifiedTime(formatted);

    runUntilNodesHoldReservationsThenSigint("second", port -> { }); // same state: Kafka's log reused, not formatted

    assertThat(Files.getLastModifiedTime(formatted)).isEqualTo(formattedAt);
  }

  /** What a test does while the system runs, given the REST API's port. */
  @FunctionalInterface
  private interface WhileRunning {
    void check(int port) throws Exception;
  }

  private void runUntilNodesHoldReservationsThenSigint(String name, WhileRunning whileRunning) throws Exception {
    int port = freePort();
    Path output = workDir.resolve(name + ".out");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process run = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "org.bwledger.lab.BwctlLab", "run", "--http-port", String.valueOf(port), "--extender-port", "0", "--state-dir",
        workDir.resolve("state").toString(), "--tick", "PT0.2S", "--table-interval", "PT1S", "--traffic-interval", "PT1S")
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
        HttpResponse<String> nodes = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/nodes")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode items = json.readTree(nodes.body()).path("items");
        int reservations = 0;
        for (JsonNode node : items) {
          reservations += node.path("reservations").asInt();
        }
        return items.size() == 6 && reservations > 0;
      });
      assertThat(Files.readString(output)).contains("REST API    http://127.0.0.1:" + port);
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(output).contains("sim-node-5"));
      whileRunning.check(port);

      new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).start().waitFor();

      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("bwctl run stopped within a minute of SIGINT").isTrue();
      assertThat(run.descendants().toList()).isEmpty();
      assertThat(ProcessHandle.of(run.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    } finally {
      run.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
