package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceClockTest {

  /** Times drawn across four centuries, leap days and year ends among them, read as Instant.parse reads them. */
  @Test
  void readsAKubernetesTimeAsInstantParseDoes() {
    Random random = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      String text = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 10_000_000_000L)).toString();

      assertThat(TraceClock.instant(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void otherFormsGoToTheFormatter() {
    for (String text : new String[] {"2026-11-20T09:00:07.123456Z", "2026-11-20T09:00:07+01:00", "2016-12-31T23:59:60Z",
        "2026-11-20T24:00:00Z"}) {
      assertThat(TraceClock.instant(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void whatIsNoTimeIsRefusedAsInstantParseRefusesIt() {
    for (String text : new String[] {"2026-02-29T09:00:07Z", "2026-13-01T00:00:00Z",
        "2026-11-2OT09:00:07Z", "2026-11-20 09:00:07Z", "yesterday"}) {
      assertThatThrownBy(() -> Instant.parse(text)).isInstanceOf(DateTimeParseException.class);
      assertThatThrownBy(() -> TraceClock.instant(text)).as(text).isInstanceOf(DateTimeParseException.class);
    }
  }
}
