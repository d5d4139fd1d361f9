package org.bwledger.projector.status;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Spaces writes to the Kubernetes API evenly: at most {@code perSecond} of them, however many threads ask. */
final class WriteRate {

  private final long intervalNanos;
  private long nextSlot = System.nanoTime();

  WriteRate(double perSecond) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("writes per second must be above 0, not " + perSecond);
    }
    this.intervalNanos = (long) (Duration.ofSeconds(1).toNanos() / perSecond);
  }

  /** Waits for the next free slot. */
  void acquire() throws InterruptedException {
    long slot;
    synchronized (this) {
      slot = Math.max(nextSlot, System.nanoTime());
      nextSlot = slot + intervalNanos;
    }
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
