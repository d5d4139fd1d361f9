package org.bwledger.ledger.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bwledger.ledger.fold.MemoryTable;
import org.bwledger.schemas.ledger.Progress;
import org.junit.jupiter.api.Test;

class EventTimeOrderTest {

  private final MemoryTable<String> held = MemoryTable.unindexed();
  private final MemoryTable<Progress> progress = MemoryTable.unindexed();
  private final EventTimeOrder<String> order =
      new EventTimeOrder<>("me", List.of("a", "b"), EventTimeOrder.IdleSources.STEP_ASIDE, held, progress);
  private long offset;

  @Test
  void changesWaitUntilEverySourceHasPassedThemThenGoOldestFirst() {
    hold(30, "b-30");
    hold(10, "a-10");
    hold(20, "a-20");

    assertThat(order.heard(word("a", 25, false))).as("b has not spoken yet").isEmpty();
    assertThat(changes(order.heard(word("b", 21, false)))).containsExactly("a-10", "a-20");
    assertThat(passed(order)).isEqualTo(21);
    assertThat(changes(order.heard(word("b", 40, false)))).as("a is at 25").isEmpty();
    assertThat(changes(order.heard(word("a", 31, false)))).containsExactly("b-30");
    assertThat(held.scan("")).isEmpty();
  }

  @Test
  void changesOfOneTimeGoInTheOrderTheyCame() {
    hold(10, "second-key-first");
    hold(10, "first-key-second");
    order.heard(word("a", 11, true));

    assertThat(changes(order.heard(word("b", 11, true)))).containsExactly("second-key-first", "first-key-second");
  }

  @Test
  void anIdleSourceHoldsNobodyBackUntilItSpeaksAgain() {
    order.heard(word("b", 5, true));
    hold(10, "a-10");
    assertThat(changes(order.heard(word("a", 20, false)))).containsExactly("a-10");

    // b wakes up where it was, then sends changes: the horizon stays at 20 (nothing goes back) and
    // what comes after waits for b again.
    order.heard(word("b", 5, false));
    hold(25, "a-25");
    hold(22, "b-22");
    assertThat(order.heard(word("a", 30, false))).as("b is at 5 again").isEmpty();
    assertThat(changes(order.heard(word("b", 26, false)))).containsExactly("b-22", "a-25");
  }

  @Test
  void whenEverySourceIsIdleAllTheySentGoesOn() {
    hold(10, "a-10");
    hold(12, "b-12");
    order.heard(word("a", 11, true));

    assertThat(changes(order.heard(word("b", 13, true)))).containsExactly("a-10", "b-12");
    assertThat(passed(order)).isEqualTo(13);
    assertThat(order.passed().getIdle()).isTrue();
  }

  @Test
  void sourcesThatMoveTogetherAreHeldBackByOneIdleAtItsTime() {
    EventTimeOrder<String> together = new EventTimeOrder<>("me", List.of("a", "b"),
        EventTimeOrder.IdleSources.HOLD_BACK, held, progress);
    together.heard(word("b", 5, true));
    assertThat(together.hold(10, offset++, "node", "a-10")).isFalse();

    assertThat(together.heard(word("a", 20, false))).as("b is idle at 5").isEmpty();
    assertThat(changes(together.heard(word("b", 20, true)))).containsExactly("a-10");
    assertThat(together.passed().getIdle()).isFalse();
  }

  @Test
  void aLateChangeIsHandedOnWhenEverySourceIsIdleAgainThoughNoTimePassed() {
    order.heard(word("a", 50, true));
    order.heard(word("b", 50, true));
    order.heard(word("b", 30, false)); // b counts again, from where it was
    assertThat(order.hold(30, offset++, "node", "b-30-late")).isTrue();

    assertThat(changes(order.heard(word("b", 31, true)))).containsExactly("b-30-late");
    assertThat(passed(order)).isEqualTo(50);
  }

  @Test
  void aLateChangeGoesWithTheNextChangesAfterThoseBeforeIt() {
    order.heard(word("a", 50, true));
    order.heard(word("b", 50, true));
    hold(55, "a-55");

    assertThat(order.hold(40, offset++, "node", "b-40-late")).isTrue();
    assertThat(order.hold(50, offset++, "node", "b-50")).isFalse();
    assertThat(changes(order.heard(word("b", 60, true)))).as("a is idle").containsExactly("b-40-late", "b-50", "a-55");
  }

  @Test
  void whatASourceSaidNeverGoesBack() {
    order.heard(word("a", 50, false));
    order.heard(word("a", 20, false));
    order.heard(word("b", 60, false));

    assertThat(passed(order)).isEqualTo(50);
    assertThat(progress.get("a").getBefore()).isEqualTo(Instant.ofEpochMilli(50));
  }

  /**
   * Sources that each send changes in their own order of time, with their progress in line,
   * arriving interleaved at random: everything is handed on once all are idle, in order of time,
   * and each source's changes in its own order.
   */
  @Test
  void anyInterleavingOfSourcesIsHandedOnInTimeOrderKeepingEachSourcesOrder() {
    for (long seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      List<String> sources = List.of("s0", "s1", "s2");
      EventTimeOrder<String> merging = new EventTimeOrder<>("me", sources,
          EventTimeOrder.IdleSources.values()[(int) (seed % 2)], MemoryTable.unindexed(), MemoryTable.unindexed());
      List<List<Object>> streams = new ArrayList<>();
      int sent = 0;
      for (String source : sources) {
        List<Object> stream = new ArrayList<>();
        long time = random.nextInt(5);
        for (int i = 0; i < 30; i++) {
          time += random.nextInt(3); // times repeat and jump, never go back
          stream.add(new Sent(source, time, source + "#" + i));
          sent++;
          if (random.nextInt(4) == 0) {
            stream.add(word(source, time, false));
          }
        }
        stream.add(word(source, time + 1, true));
        streams.add(stream);
      }

      List<EventTimeOrder.Release<String>> released = new ArrayList<>();
      long offsets = 0;
      while (streams.stream().anyMatch(s -> !s.isEmpty())) {
        List<Object> next = streams.get(random.nextInt(streams.size()));
        if (next.isEmpty()) {
          continue;
        }
        Object item = next.remove(0);
        if (item instanceof Sent change) {
          assertThat(merging.hold(change.time(), offsets++, "node", change.name())).as("seed %d", seed).isFalse();
        } else {
          released.addAll(merging.heard((Progress) item));
        }
      }

      assertThat(released).as("seed %d", seed).hasSize(sent);
      for (int i = 1; i < released.size(); i++) {
        assertThat(released.get(i).time()).as("seed %d", seed).isGreaterThanOrEqualTo(released.get(i - 1).time());
      }
      for (String source : sources) {
        List<Integer> own = released.stream().map(EventTimeOrder.Release::change).filter(c -> c.startsWith(source))
            .map(c -> Integer.parseInt(c.substring(c.indexOf('#') + 1))).toList();
        assertThat(own).as("seed %d, %s", seed, source).isSorted();
      }
    }
  }

  private record Sent(String source, long time, String name) {}

  private void hold(long time, String change) {
    assertThat(order.hold(time, offset++, "node-1", change)).isFalse();
  }

  private static long passed(EventTimeOrder<String> order) {
    return order.passed().getBefore().toEpochMilli();
  }

  private static Progress word(String source, long before, boolean idle) {
    return new Progress(source, Instant.ofEpochMilli(before), idle);
  }

  private static List<String> changes(List<EventTimeOrder.Release<String>> released) {
    released.forEach(release -> assertThat(release.subject()).startsWith("node"));
    return released.stream().map(EventTimeOrder.Release::change).toList();
  }
}
