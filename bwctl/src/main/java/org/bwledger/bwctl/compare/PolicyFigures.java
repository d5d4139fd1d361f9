package org.bwledger.bwctl.compare;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bwledger.bwctl.replay.Replay;
import org.bwledger.bwctl.schedule.Scheduling;
import org.bwledger.bwctl.schedule.TrafficMeasures;

/**
 * What one policy made of a trace, rounded once here so every output format prints the same
 * figures: shares and utilisations to 4 decimals, minutes and seconds to 3.
 *
 * @param oversubscribedNodeMinutes minutes a node spent oversubscribed, summed over nodes
 * @param linkLocalShare the share of reserved traffic held link-local, weighted by time
 * @param waitP50Seconds arrival to placement of placed pods, in trace time: the median
 * @param waitP99Seconds the same, 99th percentile
 * @param peakUtilisation the highest network utilisation any node reached
 * @param meanUtilisation the nodes' time-weighted mean utilisations, averaged over nodes
 * @param nodes each node's peak and mean network utilisation
 */
public record PolicyFigures(String policy, int arrived, int placed, int pending, int neverPlaced,
    BigDecimal oversubscribedNodeMinutes, BigDecimal linkLocalShare, BigDecimal waitP50Seconds,
    BigDecimal waitP99Seconds, BigDecimal peakUtilisation, BigDecimal meanUtilisation,
    SortedMap<String, NodeFigures> nodes) {

  /** One node's network utilisation under the policy, as fractions of its capacity. */
  public record NodeFigures(BigDecimal peak, BigDecimal mean) {}

  /** The figures of a replay that placed the pods ({@link Replay.Options#schedule}). */
  static PolicyFigures of(Replay.Result result) {
    Scheduling.Outcome outcome = result.scheduled().outcome();
    TrafficMeasures.Figures measures = result.scheduled().measures();
    SortedMap<String, NodeFigures> nodes = new TreeMap<>();
    measures.nodes().forEach((node, u) -> nodes.put(node, new NodeFigures(fraction(u.peak()), fraction(u.mean()))));
    double peak = measures.nodes().values().stream().mapToDouble(TrafficMeasures.NodeUtilisation::peak).max().orElse(0);
    double mean = measures.nodes().values().stream().mapToDouble(TrafficMeasures.NodeUtilisation::mean).average()
        .orElse(0);
    return new PolicyFigures(outcome.policy(), outcome.arrived(), outcome.placed(), outcome.pending(),
        outcome.neverPlaced(), minutes(result.oversubscribedNodeTime()), fraction(measures.linkLocalShare()),
        seconds(outcome.placementWait(50)), seconds(outcome.placementWait(99)), fraction(peak), fraction(mean), nodes);
  }

  private static BigDecimal fraction(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN);
  }

  private static BigDecimal minutes(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis()).divide(BigDecimal.valueOf(60_000), 3, RoundingMode.HALF_EVEN);
  }

  private static BigDecimal seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3);
  }
}
