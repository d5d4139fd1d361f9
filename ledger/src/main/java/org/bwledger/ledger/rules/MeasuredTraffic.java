package org.bwledger.ledger.rules;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.ledger.TrafficState;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;

/**
 * What a node carries, measured (DESIGN §4): the rate of its interfaces' byte counters between two
 * samples, beside what its pods reserved. A rate is only ever taken from two samples of the same
 * interfaces; what cannot be measured is unknown (null), never 0:
 * <ul>
 *   <li>a sample no later than the last one changes nothing (a repeat, or one overtaken);
 *   <li>a counter that went back (the interface or the node restarted) starts afresh: the interval
 *       has no rate;
 *   <li>samples further apart than {@link #STALE_AFTER} give no rate, and a reader takes a rate
 *       whose last sample is that old as unknown;
 *   <li>an interface in only one of the two samples is left out of that interval.
 * </ul>
 */
public final class MeasuredTraffic {

  /** Samples further apart give no rate; a measurement this old is unknown. Six missed 10 s samples. */
  public static final Duration STALE_AFTER = Duration.ofSeconds(60);

  private static final double BITS_PER_MBIT = 1_000_000;

  private MeasuredTraffic() {}

  /** The node's traffic after {@code sample}, given what it was ({@code null}: never sampled). */
  public static TrafficState next(TrafficState before, TrafficSampled sample) {
    if (before != null && !sample.getSampledAt().isAfter(before.getSampledAt())) {
      return before;
    }
    long millis = before == null ? 0 : Duration.between(before.getSampledAt(), sample.getSampledAt()).toMillis();
    TrafficFigures rate = before == null || millis > STALE_AFTER.toMillis() ? null : rate(before, sample, millis);
    return new TrafficState(sample.getSampledAt(), sample.getSource(), sample.getInterfaces(), rate,
        rate == null ? 0 : millis);
  }

  /**
   * What is published of the node's traffic against its network capacity and what its pods hold
   * there; null before the first sample.
   */
  public static Traffic published(TrafficState state, LinkFigures capacity, LinkFigures used) {
    if (state == null) {
      return null;
    }
    TrafficFigures measured = state.getMeasured();
    if (measured == null) {
      return new Traffic(null, state.getSampledAt(), 0L, state.getSource(), null, null, null);
    }
    return new Traffic(measured, state.getSampledAt(), state.getIntervalMillis(), state.getSource(),
        new TrafficFigures(share(measured.getUl(), capacity.getNetworkUlMbps()),
            share(measured.getDl(), capacity.getNetworkDlMbps())),
        new TrafficFigures(measured.getUl() - used.getNetworkUlMbps(), measured.getDl() - used.getNetworkDlMbps()),
        new TrafficFigures(capacity.getNetworkUlMbps() - Math.max(used.getNetworkUlMbps(), measured.getUl()),
            capacity.getNetworkDlMbps() - Math.max(used.getNetworkDlMbps(), measured.getDl())));
  }

  /** Mbit/s over the interval, egress and ingress; null when a counter went back or no interface is in both. */
  private static TrafficFigures rate(TrafficState before, TrafficSampled after, long millis) {
    Map<String, InterfaceCounters> previous = new HashMap<>();
    before.getInterfaces().forEach(counters -> previous.put(counters.getName(), counters));
    long transmitted = 0;
    long received = 0;
    boolean common = false;
    for (InterfaceCounters now : after.getInterfaces()) {
      InterfaceCounters then = previous.get(now.getName());
      if (then == null) {
        continue;
      }
      if (now.getTransmitBytes() < then.getTransmitBytes() || now.getReceiveBytes() < then.getReceiveBytes()) {
        return null;
      }
      transmitted += now.getTransmitBytes() - then.getTransmitBytes();
      received += now.getReceiveBytes() - then.getReceiveBytes();
      common = true;
    }
    if (!common) {
      return null;
    }
    double seconds = millis / 1000.0;
    return new TrafficFigures(transmitted * 8 / seconds / BITS_PER_MBIT, received * 8 / seconds / BITS_PER_MBIT);
  }

  /** {@code part} over {@code whole}; 0 without a capacity to measure against. */
  private static double share(double part, long whole) {
    return whole <= 0 ? 0 : part / whole;
  }
}
