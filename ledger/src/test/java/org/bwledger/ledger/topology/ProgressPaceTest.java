package org.bwledger.ledger.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressPaceTest {

  private final ProgressPace pace = ProgressPace.of(Duration.ofSeconds(1));
  private final long now = 1_000_000_000L;

  @Test
  void speaksTwentyTimesAnEmitIntervalAndTakesTenForQuiet() {
    assertThat(pace.every()).isEqualTo(Duration.ofMillis(50));
    assertThat(pace.caughtUpWithin()).isEqualTo(Duration.ofSeconds(5));
    assertThat(pace.quietAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(ProgressPace.of(Duration.ofMillis(100)).quietAfter()).as("never below five seconds")
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aPartitionCaughtUpWithTheClockHasNoneLeftAtOnce() {
    assertThat(pace.noneLeft(now - 1_000, now - 200, now)).isTrue();
  }

  @Test
  void aPartitionBehindTheClockHasNoneLeftOnlyAfterALongQuiet() {
    long anHourAgo = now - 3_600_000;
    assertThat(pace.noneLeft(anHourAgo, now - 200, now)).as("a backlog being read").isFalse();
    assertThat(pace.noneLeft(anHourAgo, now - 10_000, now)).isTrue();
    assertThat(pace.noneLeft(-1, now - 9_999, now)).as("nothing read yet").isFalse();
  }
}
