package org.bwledger.testkit.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One figure a benchmark measured, and the baseline it was measured beside in the same run (the
 * same broker, the same machine, the same moment), so the ratio means something where the absolute
 * figure depends on the machine.
 *
 * @param benchmark which benchmark, e.g. {@code fold}
 * @param measure what was measured, e.g. {@code events/s, emit 250 ms}
 * @param value the figure
 * @param unit its unit, e.g. {@code events/s} or {@code ms}
 * @param baseline what it ran beside, or {@code null} for a figure that stands alone
 * @param baselineValue the baseline's figure, in the same unit; {@code null} without a baseline
 */
public record Figure(String benchmark, String measure, double value, String unit, String baseline,
    Double baselineValue) {

  /** A figure without a baseline. */
  public static Figure of(String benchmark, String measure, double value, String unit) {
    return new Figure(benchmark, measure, value, unit, null, null);
  }

  /** The same figure, measured beside {@code baseline}, whose figure was {@code baselineValue}. */
  public Figure beside(String baseline, double baselineValue) {
    return new Figure(benchmark, measure, value, unit, baseline, baselineValue);
  }

  /** value / baseline; {@code null} without a baseline or with a baseline of 0. Written to JSON too. */
  @JsonProperty
  public Double ratio() {
    return baselineValue == null || baselineValue == 0 ? null : value / baselineValue;
  }
}
