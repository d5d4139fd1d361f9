package org.bwledger.projector.nodes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.bwledger.projector.nodes.NodeMarking.FitBy;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;
import org.junit.jupiter.api.Test;

/** A node's fit by reservations, by measured traffic with two samples agreeing, or by both. */
class FitVerdictsTest {

  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void byReservationsANodeFitsWhileItsRemainingNetworkReachesTheThreshold() {
    FitVerdicts verdicts = new FitVerdicts(marking(FitBy.RESERVED));

    assertThat(verdicts.fits("n", state(100, null, 0))).isTrue();
    assertThat(verdicts.fits("n", state(99, null, 0))).isFalse();
    assertThat(verdicts.fits("n", state(99, 0.10, 1))).as("traffic plays no part").isFalse();
  }

  @Test
  void byMeasurementAVerdictSettlesOnlyWhenTwoConsecutiveSamplesAgree() {
    FitVerdicts verdicts = new FitVerdicts(marking(FitBy.MEASURED));

    assertThat(verdicts.fits("n", state(500, 0.90, 1))).as("one sample, no verdict").isNull();
    assertThat(verdicts.fits("n", state(500, 0.90, 2))).as("two agree: over 80 %").isFalse();
    assertThat(verdicts.fits("n", state(500, 0.50, 3))).as("one below: not yet").isFalse();
    assertThat(verdicts.fits("n", state(400, 0.50, 3))).as("the same sample again (the books moved)").isFalse();
    assertThat(verdicts.fits("n", state(500, 0.80, 4))).as("two agree: at 80 % it fits").isTrue();
    assertThat(verdicts.fits("n", state(500, 0.95, 5))).isTrue();
    assertThat(verdicts.fits("n", state(500, null, 6))).as("unknown keeps the verdict").isTrue();
    assertThat(verdicts.fits("n", state(500, 0.95, 7))).as("unknown broke the run").isTrue();
    assertThat(verdicts.fits("n", state(500, 0.95, 8))).isFalse();
    assertThat(verdicts.fits("other", state(500, 0.10, 8))).as("each node its own").isNull();
  }

  @Test
  void byBothANodeFitsWhenItsReservationsAndItsSettledTrafficDo() {
    FitVerdicts verdicts = new FitVerdicts(marking(FitBy.BOTH));

    assertThat(verdicts.fits("n", state(500, 0.95, 1))).as("traffic not settled: reservations alone").isTrue();
    assertThat(verdicts.fits("n", state(500, 0.95, 2))).isFalse();
    assertThat(verdicts.fits("n", state(10, 0.10, 3))).isFalse();
    assertThat(verdicts.fits("n", state(500, 0.10, 4))).isTrue();
    verdicts.forget("n");
    assertThat(verdicts.fits("n", state(10, 0.95, 5))).as("forgotten: reservations alone").isFalse();
  }

  private static NodeMarking marking(FitBy fitBy) {
    return new NodeMarking(true, false, 100, fitBy, 80);
  }

  /** A node with {@code remaining} Mbit/s of network left each way and, sampled at second {@code second}, this utilisation (null: unknown). */
  private static NodeBandwidth state(long remaining, Double utilisation, int second) {
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L);
    LinkFigures used = new LinkFigures(1_000L - remaining, 1_000L - remaining, 1_000L - remaining, 1_000L - remaining);
    LinkFigures left = new LinkFigures(19_000L + remaining, 19_000L + remaining, remaining, remaining);
    Traffic traffic = second == 0 ? null : utilisation == null
        ? new Traffic(null, T.plusSeconds(second), 0L, "test", null, null, null)
        : new Traffic(new TrafficFigures(utilisation * 1000, utilisation * 1000), T.plusSeconds(second), 10_000L, "test",
            new TrafficFigures(utilisation, utilisation), new TrafficFigures(0.0, 0.0), new TrafficFigures(0.0, 0.0));
    return new NodeBandwidth("n", null, capacity, used, left, List.of(), List.of(), null, T, "e-1", traffic);
  }
}
