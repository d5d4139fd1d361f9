package org.bwledger.bwctl.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bwledger.bwctl.output.BandwidthTable;
import org.bwledger.bwctl.replay.Replay;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.rules.LedgerRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bwctl trace validate | stats | cut}. */
class TraceToolsTest {

  private static final Path SAMPLE = Path.of("../examples/lab-trace.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void validateReportsEachProblemWithItsLines() throws Exception {
    Path trace = dir.resolve("bad.json");
    Files.write(trace, List.of(
        event("ADDED", "10:00:00", node("n1", 1)),
        event("ADDED", "10:00:01", pod("a", "n1", 2)),
        "{\"type\": \"ADDED\", \"object\": ",
        event("MODIFIED", "10:00:02", pod("a", "n1", 1)),
        event("DELETED", "10:00:03", pod("ghost", "n1", 5)),
        event("ADDED", "10:00:02", pod("b", "n9", 6))));

    BwctlRun run = bwctl("trace", "validate", trace.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().lines().toList()).containsExactly(
        "line 3: incomplete JSON object",
        "line 4: Pod lab/a at resourceVersion 1 after 2: out of order",
        "line 5: deletes Pod lab/ghost, which the trace did not show before",
        "line 6: observed at 2026-11-20T10:00:02Z, before the event ahead of it (2026-11-20T10:00:03Z)",
        "line 6: Pod lab/b is on node n9, which the trace does not hold then",
        "5 events, 5 problems");
  }

  @Test
  void theSampleTraceIsSound() {
    BwctlRun run = bwctl("trace", "validate", SAMPLE.toString());

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out()).endsWith(" events, 0 problems\n");
  }

  @Test
  void statsCountWhatTheTraceHolds() throws Exception {
    Set<String> nodes = new HashSet<>();
    Set<String> pods = new HashSet<>();
    long events = 0;
    try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(SAMPLE.toFile())) {
      while (values.hasNext()) {
        JsonNode object = values.next().path("object");
        events++;
        String name = object.at("/metadata/namespace").asText() + "/" + object.at("/metadata/name").asText();
        if (object.path("kind").asText().equals("Node")) {
          nodes.add(name);
        } else if (object.path("kind").asText().equals("Pod")) {
          pods.add(name);
        }
      }
    }

    BwctlRun run = bwctl("trace", "stats", SAMPLE.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).containsPattern("events\\s+" + events + " ")
        .containsPattern("nodes\\s+" + nodes.size() + "\n")
        .containsPattern("pods\\s+" + pods.size() + "\n")
        .contains("annotation  kubernetes.io/egress-bandwidth on ");
  }

  @Test
  void aCutReplaysToTheBooksTheWholeTraceGivesInItsWindow() throws Exception {
    Instant from = Instant.parse("2026-11-20T09:01:30Z");
    Path cut = dir.resolve("cut.json");
    BwctlRun run = bwctl("trace", "cut", SAMPLE.toString(), "--from", from.toString(), "-o", cut.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).containsPattern("cut \\d+ events of \\d+");
    assertThat(Files.size(cut)).isLessThan(Files.size(SAMPLE));

    for (Instant at = from; !at.isAfter(Instant.parse("2026-11-20T09:02:50Z")); at = at.plusSeconds(5)) {
      assertThat(books(cut, at)).as("at " + at).isEqualTo(books(SAMPLE, at));
    }
  }

  @Test
  void aBackwardWindowIsRefused() {
    BwctlRun run = bwctl("trace", "cut", SAMPLE.toString(), "--from", "2026-11-20T10:00:00Z", "--to",
        "2026-11-20T09:00:00Z");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("is after --to");
  }

  @Test
  void aFilterKeepsTheSelectedPodsAsAWatchWithTheSameFiltersSeesThem() throws Exception {
    Path trace = dir.resolve("labelled.json");
    Files.write(trace, List.of(
        event("ADDED", "10:00:00", node("n1", 1)),
        event("ADDED", "10:00:01", pod("lab", "web-0", Map.of("app", "web"), 2)),
        event("ADDED", "10:00:02", pod("lab", "db-0", Map.of("app", "db"), 3)),
        event("ADDED", "10:00:03", pod("other", "web-1", Map.of("app", "web"), 4)),
        event("MODIFIED", "10:00:04", pod("lab", "db-0", Map.of("app", "web"), 5)),
        event("MODIFIED", "10:00:05", pod("lab", "web-0", Map.of("app", "web", "canary", "yes"), 6)),
        event("DELETED", "10:00:06", pod("lab", "db-0", Map.of("app", "web"), 7)),
        event("DELETED", "10:00:07", pod("other", "web-1", Map.of("app", "web"), 8))));

    BwctlRun run = bwctl("trace", "filter", trace.toString(), "-n", "lab", "-l", "app=web,!canary");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEqualTo("kept 5 events of 8\n");
    assertThat(run.out().lines().map(line -> {
      JsonNode event = readTree(line);
      return event.path("type").asText() + " " + event.at("/object/metadata/name").asText() + " "
          + event.at("/object/metadata/resourceVersion").asText();
    })).containsExactly("ADDED n1 1", "ADDED web-0 2", "ADDED db-0 5", "DELETED web-0 6", "DELETED db-0 7");
  }

  /** The node table replay gives at {@code at}: figures and reservations, not event ids. */
  private static String books(Path trace, Instant at) throws Exception {
    try (BufferedReader in = Files.newBufferedReader(trace)) {
      return BandwidthTable.render(new Replay(LedgerRules.DEFAULT).run(in,
          new Replay.Options(at, List.of(), false, false, 1, null)).nodes().values());
    }
  }

  private static String event(String type, String time, String object) {
    return "{\"type\": \"" + type + "\", \"observedAt\": \"2026-11-20T" + time + "Z\", \"object\": " + object + "}";
  }

  private static String node(String name, long resourceVersion) {
    return "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"" + name + "\", \"uid\": \"node-"
        + name + "\", \"resourceVersion\": \"" + resourceVersion + "\"}}";
  }

  private static String pod(String namespace, String name, Map<String, String> labels, long resourceVersion) {
    return "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"" + name + "\", \"namespace\": \""
        + namespace + "\", \"uid\": \"pod-" + name + "\", \"resourceVersion\": \"" + resourceVersion + "\", \"labels\": "
        + readTree(labels) + "}, \"spec\": {\"nodeName\": \"n1\"}}";
  }

  private static JsonNode readTree(Object value) {
    try {
      return value instanceof String text ? JSON.readTree(text) : JSON.valueToTree(value);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static String pod(String name, String node, long resourceVersion) {
    return "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"" + name + "\", \"namespace\": "
        + "\"lab\", \"uid\": \"pod-" + name + "\", \"resourceVersion\": \"" + resourceVersion + "\"}, \"spec\": "
        + "{\"nodeName\": \"" + node + "\"}}";
  }
}
