package org.bwledger.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessLifecycleTest {

  @Test
  void whatStartedLastStopsFirstAndOnlyOnce() {
    List<String> stopped = new ArrayList<>();
    ProcessLifecycle process = new ProcessLifecycle("test");
    process.closeLater(() -> stopped.add("client"));
    process.closeLater(() -> stopped.add("service"));
    process.closeLater(() -> {
      throw new IllegalStateException("a part that fails to stop does not keep the others running");
    });

    process.close();
    process.close();

    assertThat(stopped).containsExactly("service", "client");
  }

  @Test
  void aPartThatFailsForGoodEndsTheProcessWithExitCodeOne() throws Exception {
    try (ProcessLifecycle process = new ProcessLifecycle("test")) {
      new Thread(() -> process.fail("the fold failed")).start();

      assertThat(process.awaitExit()).isEqualTo(1);
    }
  }
}
