package org.bwledger.bwctl.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.bwledger.bwctl.testing.ArrivalsTrace;
import org.bwledger.bwctl.testing.BwctlRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bwctl compare} and {@code replay --schedule} on one generated trace of arrivals at tight
 * capacity (4 nodes with room for 4 pods each, about 20 pods live at a time), the figures checked
 * against {@link NaivePlacement}, a simulation that shares nothing with the code under test.
 */
class CompareTest {

  /** Decimals read as written, trailing zeros kept, to compare with the CSV's text. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();
  private static final String[] POLICIES = {"--policy", "as-recorded", "--policy", "first-fit", "--policy",
      "siblings-then-remaining", "--policy", "spread"};

  @TempDir
  static Path dir;

  private static ArrivalsTrace arrivals;
  private static Path trace;
  private static Map<String, JsonNode> byPolicy;

  @BeforeAll
  static void compare() throws Exception {
    arrivals = ArrivalsTrace.generate(7, 4, 4, 60, 10_000, 40_000);
    trace = arrivals.write(dir.resolve("arrivals.json"));
    BwctlRun run = compare("-o", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    byPolicy = new HashMap<>();
    JSON.readTree(run.out()).path("policies").forEach(policy -> byPolicy.put(policy.path("policy").asText(), policy));
  }

  @Test
  void asRecordedOversubscribesAsTheRecordingDid() {
    NaivePlacement.Figures naive = NaivePlacement.asRecorded(arrivals);
    JsonNode recorded = byPolicy.get("as-recorded");

    assertThat(naive.oversubscribedNodeMinutes()).isPositive();
    assertThat(recorded.path("oversubscribedNodeMinutes").asDouble()).isCloseTo(naive.oversubscribedNodeMinutes(),
        within(0.0006));
    assertThat(recorded.path("linkLocalShare").asDouble()).isCloseTo(naive.linkLocalShare(), within(0.00006));
    assertPlacements(recorded, naive);
  }

  @Test
  void firstFitOversubscribesNothingAndLeavesPodsWaiting() {
    NaivePlacement.Figures naive = NaivePlacement.firstFit(arrivals);
    JsonNode firstFit = byPolicy.get("first-fit");

    assertThat(naive.waitP99Millis()).as("the naive simulation has pods wait").isPositive();
    assertThat(firstFit.path("oversubscribedNodeMinutes").decimalValue()).isZero();
    assertPlacements(firstFit, naive);
  }

  @Test
  void siblingsThenRemainingKeepsMoreTrafficLinkLocalThanSpread() {
    double siblings = byPolicy.get("siblings-then-remaining").path("linkLocalShare").asDouble();
    double spread = byPolicy.get("spread").path("linkLocalShare").asDouble();

    assertThat(siblings).isGreaterThan(spread);
    assertThat(byPolicy.get("siblings-then-remaining").path("oversubscribedNodeMinutes").decimalValue()).isZero();
    assertThat(byPolicy.get("spread").path("oversubscribedNodeMinutes").decimalValue()).isZero();
  }

  @Test
  void theSameTraceAndSeedGiveTheSameBytesAndEveryFormatTheSameFigures() throws Exception {
    BwctlRun json = compare("-o", "json");
    BwctlRun csv = compare("-o", "csv");
    BwctlRun table = compare("-o", "table");

    assertThat(json.out()).isEqualTo(compare("-o", "json").out());
    assertThat(csv.out()).isEqualTo(compare("-o", "csv").out());
    assertThat(table.out()).isEqualTo(compare("-o", "table").out());
    // every figure of the CSV is the JSON's, written alike
    JsonNode policies = JSON.readTree(json.out()).path("policies");
    int checked = 0;
    for (String row : csv.out().lines().skip(1).toList()) {
      String[] cells = row.split(",", -1);
      JsonNode policy = null;
      for (JsonNode candidate : policies) {
        policy = candidate.path("policy").asText().equals(cells[1]) ? candidate : policy;
      }
      JsonNode figure = cells[2].isEmpty() ? policy.path(cells[3]) : policy.path("nodes").path(cells[2]).path(cells[3]);
      assertThat(figure.asText()).as(row).isEqualTo(cells[4]);
      checked++;
    }
    assertThat(checked).isEqualTo(4 * (10 + 2 * arrivals.nodes().size()));
    assertThat(table.out()).startsWith("seed 1\n").contains("as-recorded").contains("network utilisation by node");
  }

  @Test
  void anotherSeedBreaksTiesOtherwise() {
    BwctlRun one = bwctl("compare", trace.toString(), "--policy", "remaining", "-o", "csv", "--seed", "1");
    BwctlRun two = bwctl("compare", trace.toString(), "--policy", "remaining", "-o", "csv", "--seed", "2");

    assertThat(one.out().lines().skip(1).map(line -> line.substring(line.indexOf(',')))).as("the figures")
        .isNotEqualTo(two.out().lines().skip(1).map(line -> line.substring(line.indexOf(','))).toList());
  }

  @Test
  void replayPlacesByAPolicyAndSaysWhatBecameOfThePods() {
    NaivePlacement.Figures naive = NaivePlacement.firstFit(arrivals);

    BwctlRun run = bwctl("replay", trace.toString(), "--schedule", "first-fit", "--seed", "5", "--oversubscription");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("no node was oversubscribed");
    assertThat(run.err()).contains(String.format("placed by first-fit, seed 5: %d pods arrived, %d placed, %d pending, "
        + "%d never placed", naive.arrived(), naive.placed(), naive.pending(), naive.neverPlaced()));
  }

  @Test
  void aPolicyOnTheClassPathIsFoundByName() {
    BwctlRun run = bwctl("replay", trace.toString(), "--schedule", "last-fit");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("placed by last-fit, seed 1:");
  }

  @Test
  void aTimelineIsWrittenForEachPolicy() throws Exception {
    Path timeline = dir.resolve("runs.svg");

    BwctlRun run = bwctl("compare", trace.toString(), "--policy", "as-recorded", "--policy", "first-fit", "--timeline",
        timeline.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("timeline written to " + dir.resolve("runs.as-recorded.svg"),
        "timeline written to " + dir.resolve("runs.first-fit.svg"));
    // the recording oversubscribes, so its chart shades spells; first-fit's has none
    assertThat(Files.readString(dir.resolve("runs.as-recorded.svg"))).contains("class=\"spell\"");
    assertThat(Files.readString(dir.resolve("runs.first-fit.svg"))).doesNotContain("class=\"spell\"");
  }

  @Test
  void anUnknownPolicyIsRefusedNamingThePoliciesThereAre() {
    BwctlRun run = bwctl("compare", trace.toString(), "--policy", "best-fit");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no placement policy 'best-fit'; there are as-recorded, siblings-then-remaining, "
        + "remaining, first-fit, spread, last-fit");
  }

  private static void assertPlacements(JsonNode policy, NaivePlacement.Figures naive) {
    assertThat(policy.path("arrived").asInt()).isEqualTo(naive.arrived());
    assertThat(policy.path("placed").asInt()).isEqualTo(naive.placed());
    assertThat(policy.path("pending").asInt()).isEqualTo(naive.pending());
    assertThat(policy.path("neverPlaced").asInt()).isEqualTo(naive.neverPlaced());
    assertThat(policy.path("waitP50Seconds").asDouble()).isEqualTo(naive.waitP50Millis() / 1000.0);
    assertThat(policy.path("waitP99Seconds").asDouble()).isEqualTo(naive.waitP99Millis() / 1000.0);
  }

  private static BwctlRun compare(String... more) {
    String[] args = new String[2 + POLICIES.length + more.length];
    args[0] = "compare";
    args[1] = trace.toString();
    System.arraycopy(POLICIES, 0, args, 2, POLICIES.length);
    System.arraycopy(more, 0, args, 2 + POLICIES.length, more.length);
    return bwctl(args);
  }
}
