package org.bwledger.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchArgumentsTest {

  @Test
  void settingsAreTheArgumentsWithAnEqualsSignWhereverTheyStand() {
    BenchArguments arguments = BenchArguments.parse("300000", "commit.interval.ms=30", "2",
        "consumer.fetch.max.wait.ms=10", "metrics.recording.level=a=b");

    assertThat(arguments.positional()).containsExactly("300000", "2");
    assertThat(arguments.streamsSettings()).containsExactly(entry("commit.interval.ms", "30"),
        entry("consumer.fetch.max.wait.ms", "10"), entry("metrics.recording.level", "a=b"));
    assertThat(arguments.at(1, "4")).isEqualTo("2");
    assertThat(arguments.at(2, "250")).isEqualTo("250");
  }

  @Test
  void aListOfMillisecondsIsCommaSeparatedAndTheDefaultStandsAloneWhenAbsent() {
    BenchArguments arguments = BenchArguments.parse("1000,250,100");

    assertThat(arguments.millis(0, Duration.ofSeconds(1)))
        .containsExactly(Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofMillis(100));
    assertThat(arguments.millis(1, Duration.ofMillis(250))).containsExactly(Duration.ofMillis(250));
  }
}
