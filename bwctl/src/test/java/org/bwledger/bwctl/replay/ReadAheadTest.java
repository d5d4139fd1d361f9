package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  @Test
  void everyItemComesInOrderAcrossBatches() {
    List<Integer> source = IntStream.range(0, 1_000).boxed().toList();
    List<Integer> read = new ArrayList<>();
    try (ReadAhead<Integer> ahead = new ReadAhead<>(source.iterator(), 7, 3)) {
      ahead.forEachRemaining(read::add);
      assertThat(ahead.hasNext()).isFalse();
      assertThatThrownBy(ahead::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(read).isEqualTo(source);
  }

  @Test
  void whatTheSourceThrowsComesAfterEverythingReadBeforeIt() {
    Iterator<Integer> breaksAtTen = new Counting(10, Integer.MAX_VALUE);
    List<Integer> read = new ArrayList<>();
    try (ReadAhead<Integer> ahead = new ReadAhead<>(breaksAtTen, 4, 2)) {
      assertThatThrownBy(() -> ahead.forEachRemaining(read::add)).hasMessage("damaged at 10");
      assertThat(ahead.hasNext()).isFalse();
    }
    assertThat(read).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void readsNoFurtherAheadThanItsBatchesWhateverTheSourceHolds() {
    Counting endless = new Counting(Integer.MAX_VALUE, Integer.MAX_VALUE);
    try (ReadAhead<Integer> ahead = new ReadAhead<>(endless, 5, 2)) {
      // two batches wait in the queue; the third is full, its hand-over blocked
      await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300)).until(() -> endless.given.get() == 15);
      ahead.next();
      await().atMost(Duration.ofSeconds(5)).until(() -> endless.given.get() == 20);
    }
  }

  @Test
  void aSourceThatHandsOnItsItemsIsReadAheadInOrderAndItsFailureComesLast() {
    List<Integer> read = new ArrayList<>();
    try (ReadAhead<Integer> ahead = new ReadAhead<Integer>(sink -> {
      IntStream.range(0, 1_000).forEach(sink::accept);
      throw new IllegalStateException("damaged at 1000");
    }, 7, 3)) {
      assertThatThrownBy(() -> ahead.forEachRemaining(read::add)).hasMessage("damaged at 1000");
      assertThat(ahead.hasNext()).isFalse();
    }
    assertThat(read).isEqualTo(IntStream.range(0, 1_000).boxed().toList());
  }

  @Test
  void closingStopsASourceThatHandsOnItsItems() {
    AtomicInteger given = new AtomicInteger();
    AtomicBoolean stopped = new AtomicBoolean();
    try (ReadAhead<Integer> ahead = new ReadAhead<Integer>(sink -> {
      try {
        while (true) {
          sink.accept(given.getAndIncrement());
        }
      } finally {
        stopped.set(true);
      }
    }, 5, 2)) {
      assertThat(ahead.next()).isZero();
    }
    await().atMost(Duration.ofSeconds(5)).untilTrue(stopped);
    assertThat(given.get()).isLessThanOrEqualTo(5 * 4);
  }

  /** 0, 1, 2…: fails at {@code failAt}, ends before {@code end}. */
  private static final class Counting implements Iterator<Integer> {
    final AtomicInteger given = new AtomicInteger();
    private final int failAt;
    private final int end;

    Counting(int failAt, int end) {
      this.failAt = failAt;
      this.end = end;
    }

    @Override
    public boolean hasNext() {
      return given.get() < end;
    }

    @Override
    public Integer next() {
      if (given.get() == failAt) {
        throw new IllegalStateException("damaged at " + failAt);
      }
      return given.getAndIncrement();
    }
  }
}
