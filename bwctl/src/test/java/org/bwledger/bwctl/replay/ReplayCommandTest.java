package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.rules.LedgerRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  private static final Path SAMPLE = Path.of("../examples/lab-trace.json");

  @TempDir
  Path dir;

  @Test
  void theSampleTraceGivesTheBandwidthObjectsTheRulesSay() throws IOException {
    BwctlRun run = bwctl("replay", "-o", "json", SAMPLE.toString());

    assertThat(run.exitCode()).isZero();
    JsonNode list = new ObjectMapper().readTree(run.out());
    assertThat(list.path("apiVersion").asText()).isEqualTo("networking.vaclab.org/v1");
    assertThat(list.path("kind").asText()).isEqualTo("BandwidthList");
    assertThat(list.path("items")).extracting(item -> item.path("metadata").path("name").asText())
        .containsExactly("worker-1", "worker-2", "worker-3");

    // The StatefulSet's last live siblings share worker-1: local only. The typo counts 0, with its reason.
    JsonNode worker1 = list.path("items").get(0).path("status");
    assertThat(worker1.path("used").path("local").path("ulMbps").asLong()).isEqualTo(400);
    assertThat(worker1.path("used").path("network").path("ulMbps").asLong()).isZero();
    JsonNode typo = worker1.path("reservations").get(0);
    assertThat(typo.path("podName").asText()).isEqualTo("typo");
    assertThat(typo.path("state").asText()).isEqualTo("Invalid");
    assertThat(typo.path("reason").asText()).contains("\"10Mbps\" is not a Kubernetes quantity");

    // A bare pod is charged to network; a user's spec.capacity replaces the defaults.
    assertThat(list.path("items").get(1).path("status").path("remaining").path("network").path("ulMbps").asLong())
        .isEqualTo(100);
    assertThat(list.path("items").get(2).path("spec").path("capacity").path("network").path("ulMbps").asLong())
        .isEqualTo(10000);
  }

  @Test
  void replayingTheSameTraceTwiceGivesTheSameBytes() {
    for (String format : new String[] {"json", "yaml", "table"}) {
      BwctlRun first = bwctl("replay", "-o", format, SAMPLE.toString());
      BwctlRun second = bwctl("replay", "-o", format, SAMPLE.toString());

      assertThat(first.exitCode()).isZero();
      assertThat(first.out()).isNotBlank().isEqualTo(second.out());
    }
  }

  @Test
  void tableOutputHasARowPerNode() {
    BwctlRun run = bwctl("replay", SAMPLE.toString());

    assertThat(run.out().lines()).hasSize(4);
    assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("NET-REMAINING");
    assertThat(run.out()).containsPattern("worker-2\\s+1000/1000\\s+900/0\\s+100/1000");
  }

  @Test
  void defaultCapacityFlagsChangeWhatIsOversubscribed() {
    BwctlRun run = bwctl("replay", "--default-network-ul-mbps", "500", SAMPLE.toString());

    assertThat(run.out()).containsPattern("worker-2\\s+500/1000\\s+900/0\\s+-400/1000.*True");
  }

  @Test
  void annotationKeyFlagsReplaceTheDefaults() {
    BwctlRun run = bwctl("replay", "--egress-annotation", "ovn.kubernetes.io/egress_rate=mbps", SAMPLE.toString());

    // Only the KubeOVN pods on worker-3 declare egress now.
    assertThat(run.out()).containsPattern("worker-2\\s+1000/1000\\s+0/0");
    assertThat(run.out()).containsPattern("worker-3\\s+10000/10000\\s+0/0\\s+10000/10000\\s+600/300");
  }

  @Test
  void badInputIsReportedWithItsPositionSkippedAndTheRestReplays() throws IOException {
    String sample = Files.readString(SAMPLE, StandardCharsets.UTF_8);
    String trace = "this is not json\n"
        + "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"\n"
        + "{\"hello\": \"world\"}\n"
        + "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Service\", \"metadata\": {\"name\": \"svc\"}}}\n"
        + "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Pod\", \"metadata\": {\"name\": \"no-uid\"}}}\n"
        + "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Pod\", \"metadata\": {\"name\": \"bad\", \"uid\": 5}, \"spec\": []}}\n"
        + sample;
    Path file = dir.resolve("trace.json");
    Files.writeString(file, trace, StandardCharsets.UTF_8);

    BwctlRun run = bwctl("replay", file.toString());

    assertThat(run.exitCode()).isEqualTo(ReplayCommand.SKIPPED_INPUT);
    assertThat(run.err().lines()).containsExactly(
        "skipped line 1: not a JSON object",
        "skipped line 2: incomplete JSON object",
        "skipped line 3: not a watch event (expected {\"type\": …, \"object\": {…}})",
        "skipped line 4: unexpected kind 'Service' (expected Pod, Node or Bandwidth)",
        "skipped line 5: Pod without metadata.uid",
        "skipped line 6: not a valid Pod: Cannot deserialize value of type `io.fabric8.kubernetes.api.model.PodSpec` from Array value (token `JsonToken.START_ARRAY`)");
    assertThat(run.out()).isEqualTo(bwctl("replay", SAMPLE.toString()).out());
  }

  @Test
  void aBandwidthStatusWriteIsNoCapacityEdit() throws IOException {
    // The sample holds an ADDED Bandwidth and a status-only MODIFIED of it (same generation).
    Replay replay = new Replay(LedgerRules.DEFAULT);
    List<String> payloads = new ArrayList<>();
    try (var in = Files.newBufferedReader(SAMPLE)) {
      replay.translate(in, event -> payloads.add(event.getPayload().getClass().getSimpleName()), skipped -> {});
    }

    assertThat(payloads).filteredOn("CapacitySet"::equals).hasSize(1);
  }
}
