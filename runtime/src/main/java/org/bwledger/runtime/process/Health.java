package org.bwledger.runtime.process;

/**
 * What a process tells its probes.
 *
 * @param live false when the process should be restarted
 * @param ready false while it cannot do its job
 * @param reason why it is not live or not ready; empty when it is both
 */
public record Health(boolean live, boolean ready, String reason) {

  /** Live and ready. */
  public static final Health OK = new Health(true, true, "");

  /** Running, but not able to do its job yet, or for now. */
  public static Health notReady(String reason) {
    return new Health(true, false, reason);
  }

  /** Stopped for good: only a restart helps. */
  public static Health dead(String reason) {
    return new Health(false, false, reason);
  }
}
