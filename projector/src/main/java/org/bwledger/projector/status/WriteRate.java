package org.bwledger.projector.status;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Spaces writes to the Kubernetes API evenly: at most {@code perSecond} of them, however many threads ask. */
final class WriteRate {

  /** Waits for a number of nanoseconds. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long nextSlot;

  WriteRate(double perSecond) {
    this(perSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  WriteRate(double perSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("writes per second must be above 0, not " + perSecond);
    }
    this.intervalNanos = (long) (Duration.ofSeconds(1).toNanos() / perSecond);
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.nextSlot = nanoTime.getAsLong();
  }

  /** Waits for the next free slot. */
  void acquire() throws InterruptedException {
    long slot;
    synchronized (this) {
      slot = Math.max(nextSlot, nanoTime.getAsLong());
      nextSlot = slot + intervalNanos;
    }
    long wait = slot - nanoTime.getAsLong();
    if (wait > 0) {
      sleeper.sleep(wait);
    }
  }
}
