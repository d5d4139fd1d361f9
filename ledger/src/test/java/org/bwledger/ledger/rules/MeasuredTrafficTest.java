package org.bwledger.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.ledger.TrafficState;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;
import org.junit.jupiter.api.Test;

/** A node's measured rate from its counters, and what is published of it. */
class MeasuredTrafficTest {

  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void theRateIsTheCountersChangeOverTheSamplesTime() {
    TrafficState first = MeasuredTraffic.next(null, sample(0, counters("eth0", 1_000, 2_000)));
    // 125,000,000 bytes in 10 s: 100 Mbit/s; 12,500,000 bytes: 10 Mbit/s
    TrafficState second = MeasuredTraffic.next(first, sample(10_000, counters("eth0", 125_001_000, 12_502_000)));

    assertThat(first.getMeasured()).as("one sample measures nothing yet").isNull();
    assertThat(second.getMeasured()).isEqualTo(new TrafficFigures(100.0, 10.0));
    assertThat(second.getIntervalMillis()).isEqualTo(10_000);
    assertThat(second.getSampledAt()).isEqualTo(T.plusSeconds(10));
  }

  @Test
  void interfacesAddUpAndOneInOnlyOneSampleIsLeftOut() {
    TrafficState first = MeasuredTraffic.next(null, sample(0, counters("eth0", 0, 0), counters("eth1", 0, 0)));
    // a counter that stays is no reset: eth0 received nothing, eth1 sent nothing
    TrafficState second = MeasuredTraffic.next(first, sample(1_000,
        counters("eth0", 1_000_000, 0), counters("eth1", 0, 500_000), counters("eth2", 9_999_999, 9_999_999)));

    assertThat(second.getMeasured()).isEqualTo(new TrafficFigures(8.0, 4.0));
  }

  @Test
  void aCounterThatWentBackGivesNoRateAndTheNextSampleMeasuresFromThere() {
    TrafficState before = MeasuredTraffic.next(null, sample(0, counters("eth0", 5_000_000, 5_000_000)));
    TrafficState reset = MeasuredTraffic.next(before, sample(10_000, counters("eth0", 1_000, 9_000_000)));
    TrafficState after = MeasuredTraffic.next(reset, sample(20_000, counters("eth0", 1_251_000, 9_000_000)));

    assertThat(reset.getMeasured()).as("unknown, not 0").isNull();
    assertThat(reset.getIntervalMillis()).isZero();
    assertThat(after.getMeasured()).isEqualTo(new TrafficFigures(1.0, 0.0));
  }

  @Test
  void aSampleNoLaterThanTheLastChangesNothing() {
    TrafficState first = MeasuredTraffic.next(null, sample(10_000, counters("eth0", 0, 0)));
    TrafficState measured = MeasuredTraffic.next(first, sample(20_000, counters("eth0", 1_250_000, 0)));

    assertThat(MeasuredTraffic.next(measured, sample(15_000, counters("eth0", 999, 0)))).isSameAs(measured);
    assertThat(MeasuredTraffic.next(measured, sample(20_000, counters("eth0", 7_777_777, 0)))).isSameAs(measured);
  }

  @Test
  void samplesFurtherApartThanStaleAfterGiveNoRateAndSamplesNoInterfaceInCommonNone() {
    TrafficState first = MeasuredTraffic.next(null, sample(0, counters("eth0", 0, 0)));
    long limit = MeasuredTraffic.STALE_AFTER.toMillis();

    assertThat(MeasuredTraffic.next(first, sample(limit, counters("eth0", 1_000, 0))).getMeasured()).isNotNull();
    assertThat(MeasuredTraffic.next(first, sample(limit + 1, counters("eth0", 1_000, 0))).getMeasured()).isNull();
    assertThat(MeasuredTraffic.next(first, sample(1_000, counters("eth9", 1_000, 0))).getMeasured()).isNull();
  }

  @Test
  void publishedBesideTheNetworkCapacityAndWhatIsReservedThere() {
    TrafficState state = new TrafficState(T, "src", List.of(), new TrafficFigures(300.0, 50.0), 10_000L);
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, 1_000L, 500L);
    LinkFigures used = new LinkFigures(900L, 900L, 400L, 100L);

    Traffic traffic = MeasuredTraffic.published(state, capacity, used);

    assertThat(traffic.getMeasured()).isEqualTo(new TrafficFigures(300.0, 50.0));
    assertThat(traffic.getMeasuredAt()).isEqualTo(T);
    assertThat(traffic.getIntervalMillis()).isEqualTo(10_000);
    assertThat(traffic.getSource()).isEqualTo("src");
    assertThat(traffic.getUtilisation()).isEqualTo(new TrafficFigures(0.3, 0.1));
    assertThat(traffic.getDrift()).as("measured - reserved").isEqualTo(new TrafficFigures(-100.0, -50.0));
    assertThat(traffic.getHeadroom()).as("capacity - max(reserved, measured)").isEqualTo(new TrafficFigures(600.0, 400.0));
  }

  @Test
  void unknownTrafficPublishesNoFiguresAndNoCapacityNoUtilisation() {
    Traffic unknown = MeasuredTraffic.published(new TrafficState(T, "src", List.of(), null, 0L),
        new LinkFigures(1L, 1L, 1L, 1L), new LinkFigures(0L, 0L, 0L, 0L));
    Traffic noCapacity = MeasuredTraffic.published(new TrafficState(T, "src", List.of(), new TrafficFigures(5.0, 5.0), 1L),
        new LinkFigures(1L, 1L, 0L, 0L), new LinkFigures(0L, 0L, 0L, 0L));

    assertThat(MeasuredTraffic.published(null, null, null)).isNull();
    assertThat(unknown.getMeasured()).isNull();
    assertThat(unknown.getMeasuredAt()).isEqualTo(T);
    assertThat(unknown.getUtilisation()).isNull();
    assertThat(unknown.getDrift()).isNull();
    assertThat(unknown.getHeadroom()).isNull();
    assertThat(noCapacity.getUtilisation()).isEqualTo(new TrafficFigures(0.0, 0.0));
  }

  private static TrafficSampled sample(long millis, InterfaceCounters... interfaces) {
    return new TrafficSampled("n1", T.plusMillis(millis), "src", List.of(interfaces));
  }

  private static InterfaceCounters counters(String name, long transmitted, long received) {
    return new InterfaceCounters(name, transmitted, received);
  }
}
