package org.bwledger.bwctl.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bwledger.bwctl.testing.BwctlRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bwctl trace import} of a kube-scheduler-simulator recording: a sample written after its
 * recorder's record ({@code time}, {@code event}, {@code resource}; a deletion naming the object only),
 * with times in another offset, kinds replay does not take, and a pod scheduled after it was created.
 */
class TraceImportTest {

  private static final Path SAMPLE = Path.of("src/test/resources/kube-scheduler-simulator/record.json");

  @TempDir
  Path dir;

  @Test
  void aSchedulerSimulatorRecordingReplaysToTheBooksItDescribes() throws Exception {
    Path trace = dir.resolve("imported.json");

    BwctlRun imported = bwctl("trace", "import", SAMPLE.toString(), "-o", trace.toString());

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.err().lines().toList()).containsExactly("imported 8 events of 10 records",
        "left out 1 records of kind Namespace", "left out 1 records of kind StorageClass");
    assertThat(bwctl("trace", "validate", trace.toString()).out()).endsWith("8 events, 0 problems\n");
    BwctlRun replay = bwctl("replay", trace.toString(), "--at", "2026-11-20T09:00:08Z");
    assertThat(replay.exitCode()).as(replay.err()).isZero();
    assertThat(replay.out().lines().map(line -> List.of(line.split("\\s+")).subList(0, 6)))
        .containsExactly(
            List.of("NAME", "NET-CAPACITY", "NET-USED", "NET-REMAINING", "LOCAL-USED", "RESERVATIONS"),
            List.of("worker-1", "1000/1000", "300/0", "700/1000", "300/0", "1"),
            List.of("worker-2", "1000/1000", "300/50", "700/950", "300/50", "2"));
    // the deletion, three seconds after the pod it names was added, carries the pod whole: its node and uid
    assertThat(Files.readAllLines(trace).get(7)).startsWith("{\"type\":\"DELETED\",\"observedAt\":\"2026-11-20T09:00:09Z\"")
        .contains("\"uid\":\"pod-3\"", "\"nodeName\":\"worker-2\"");
    assertThat(bwctl("replay", trace.toString()).out()).contains("worker-2   1000/1000      200/50");
  }

  @Test
  void aDeletionOfAnObjectNeverShownAndATimeThatIsNoneAreReportedWithTheirRecords() throws Exception {
    Path recording = dir.resolve("bad.json");
    Files.writeString(recording, "[{\"time\":\"2026-11-20T09:00:00Z\",\"event\":\"Delete\",\"resource\":{\"kind\":\"Pod\","
        + "\"metadata\":{\"name\":\"ghost\",\"namespace\":\"lab\"}}},\n {\"time\":\"yesterday\",\"event\":\"Add\","
        + "\"resource\":{\"kind\":\"Node\",\"metadata\":{\"name\":\"n1\"}}}]");

    BwctlRun run = bwctl("trace", "import", recording.toString());

    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("skipped record 1: deletes Pod lab/ghost, which the recording did not show before",
        "skipped record 2: time 'yesterday' is not an RFC 3339 time", "imported 0 events of 2 records");
    assertThat(run.out()).isEmpty();
  }
}
