package org.bwledger.projector.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteRateTest {

  private static final long MS = 1_000_000;

  @Test
  void aBurstIsSpacedEvenlyAtTheConfiguredRate() throws Exception {
    AtomicLong now = new AtomicLong(1_000 * MS);
    List<Long> sleeps = new ArrayList<>();
    WriteRate rate = new WriteRate(10, now::get, sleeps::add);

    for (int i = 0; i < 5; i++) {
      rate.acquire();
    }

    assertThat(sleeps).containsExactly(100 * MS, 200 * MS, 300 * MS, 400 * MS);
  }

  @Test
  void timeThatPassedIsNotSavedUpForALaterBurst() throws Exception {
    AtomicLong now = new AtomicLong(0);
    List<Long> sleeps = new ArrayList<>();
    WriteRate rate = new WriteRate(10, now::get, sleeps::add);

    rate.acquire();
    now.addAndGet(5_000 * MS); // a quiet spell
    rate.acquire();
    rate.acquire();

    assertThat(sleeps).containsExactly(100 * MS);
  }

  @Test
  void aRateOfZeroIsRefused() {
    assertThatThrownBy(() -> new WriteRate(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above 0");
  }
}
