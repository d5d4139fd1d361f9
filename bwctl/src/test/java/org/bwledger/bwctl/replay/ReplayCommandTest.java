package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bwledger.bwctl.export.EventFile;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
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
        "skipped line 6: not a valid Pod: spec is not an object");
    assertThat(run.out()).isEqualTo(bwctl("replay", SAMPLE.toString()).out());
  }

  /** Each watch event gets the next number, ten digits wide, so the ids sort as the trace runs. */
  @Test
  void aTracesEventsAreNumberedInOrder() throws IOException {
    List<String> ids = new ArrayList<>();
    try (var in = Files.newBufferedReader(SAMPLE)) {
      new Replay(LedgerRules.DEFAULT).translate(in, (event, position) -> ids.add(event.getEventId()), skipped -> {});
    }

    assertThat(ids).first().isEqualTo("trace-0000000000");
    assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(id -> id.matches("trace-\\d{10}"));
  }

  @Test
  void aBandwidthStatusWriteIsNoCapacityEdit() throws IOException {
    // The sample holds an ADDED Bandwidth and a status-only MODIFIED of it (same generation).
    Replay replay = new Replay(LedgerRules.DEFAULT);
    List<String> payloads = new ArrayList<>();
    try (var in = Files.newBufferedReader(SAMPLE)) {
      replay.translate(in, (event, position) -> payloads.add(event.getPayload().getClass().getSimpleName()),
          skipped -> {});
    }

    assertThat(payloads).filteredOn("CapacitySet"::equals).hasSize(1);
  }
  /** A file cut short is replayed up to where it breaks, and says where: exit 3, as a bad line of a trace. */
  @Test
  void anEventFileCutShortIsReplayedUpToWhereItBreaksAndSaysWhere() throws Exception {
    Path whole = dir.resolve("events.avro");
    List<ClusterEvent> events = new ArrayList<>();
    try (EventFile.Writer file = EventFile.create(whole, 1)) {
      for (int i = 0; i < 3_000; i++) {
        ClusterEvent event = new ClusterEvent("e-" + i, Instant.parse("2026-11-30T10:00:00Z").plusSeconds(i), "",
            new NodeObserved("node-" + i, Map.of()));
        events.add(event);
        file.append(event);
        if (i % 1_000 == 999) {
          file.flush(); // a block of its own
        }
      }
    }
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = Files.write(dir.resolve("cut.avro"), Arrays.copyOf(bytes, bytes.length - 100));

    BwctlRun run = bwctl("replay", "-o", "json", cut.toString());

    assertThat(run.exitCode()).isEqualTo(ReplayCommand.SKIPPED_INPUT);
    assertThat(run.err()).isEqualTo("skipped after event 2000: the file is cut short in block 3; the rest is not "
        + "replayed\n");
    assertThat(new ObjectMapper().readTree(run.out()).path("items")).hasSize(2_000);
  }

  @Test
  void aDamagedBlockEndsTheReplayThereAndSaysWhere() throws Exception {
    Path file = dir.resolve("events.avro");
    try (EventFile.Writer events = EventFile.create(file, 1)) {
      for (int i = 0; i < 20; i++) {
        events.append(new ClusterEvent("e-" + i, Instant.parse("2026-11-30T10:00:00Z").plusSeconds(i), "",
            new NodeObserved("node-" + i, Map.of())));
        if (i == 9) {
          events.flush();
        }
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x55; // the last sync marker
    Files.write(file, bytes);

    BwctlRun run = bwctl("replay", file.toString());

    assertThat(run.exitCode()).isEqualTo(ReplayCommand.SKIPPED_INPUT);
    assertThat(run.err().lines()).singleElement().asString().startsWith("skipped after event 10: the file is damaged");
  }

  @Test
  void eventsTheLedgerWouldDeadLetterAreSkippedWithTheirPositionAndWhy() throws Exception {
    Path file = dir.resolve("events.avro");
    try (EventFile.Writer events = EventFile.create(file, 1)) {
      events.append(new ClusterEvent("e-1", Instant.parse("2026-11-30T10:00:00Z"), "", new NodeObserved("n1", Map.of())));
      events.append(new ClusterEvent("e-2", Instant.ofEpochMilli(Long.MIN_VALUE), "", new NodeObserved("n2", Map.of())));
      events.append(new ClusterEvent("e-3", Instant.parse("2026-11-30T10:00:01Z"), "",
          new CapacitySet("n1", new CapacitySpec(null, null, -5L, null))));
    }

    BwctlRun run = bwctl("replay", file.toString());

    assertThat(run.exitCode()).isEqualTo(ReplayCommand.SKIPPED_INPUT);
    assertThat(run.err().lines()).containsExactly(
        "skipped event 2: observedAt -292275055-05-16T16:47:04.192Z is outside [1970-01-01T00:00:00Z, "
            + "9999-12-31T23:59:59.999Z]",
        "skipped event 3: capacity.networkUlMbps -5 is outside [0, 1000000000] Mbit/s");
    assertThat(run.out()).contains("n1").doesNotContain("n2");
  }

  @Test
  void everyCommandReadingATraceRefusesADirectoryOrAMissingPathInOneLine() {
    Path missing = dir.resolve("nowhere.json");
    List<List<String>> commands = List.of(
        List.of("replay"),
        List.of("compare", "--policy", "first-fit"),
        List.of("certify", "--from", "2026-11-20T10:00:00Z", "--to", "2026-11-20T11:00:00Z"),
        List.of("trace", "validate"),
        List.of("trace", "stats"),
        List.of("trace", "cut"),
        List.of("trace", "filter", "-n", "lab"));
    for (List<String> command : commands) {
      BwctlRun atDirectory = bwctl(with(command, dir.toString()));
      BwctlRun atNothing = bwctl(with(command, missing.toString()));

      assertThat(atDirectory.exitCode()).as(String.join(" ", command)).isEqualTo(2);
      assertThat(atDirectory.err()).as(String.join(" ", command))
          .isEqualTo("the trace " + dir + " is a directory; give a file\n");
      assertThat(atNothing.exitCode()).as(String.join(" ", command)).isEqualTo(2);
      assertThat(atNothing.err()).as(String.join(" ", command)).isEqualTo("no trace at " + missing + "\n");
    }
  }

  private static String[] with(List<String> command, String trace) {
    List<String> arguments = new ArrayList<>(command);
    arguments.add(trace);
    return arguments.toArray(String[]::new);
  }
}
