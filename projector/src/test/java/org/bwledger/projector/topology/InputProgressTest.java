package org.bwledger.projector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;

/**
 * The projector calls its books stale only when the ledger stands still with events waiting, not
 * when the cluster is merely quiet; the lag and age it reports are Kafka's and the states' own.
 */
@WithKafka
class InputProgressTest {

  private static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final MeterRegistry metrics = new SimpleMeterRegistry();
  private Instant now = Instant.parse("2026-11-30T10:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  };

  @Test
  void aLedgerStandingStillWithEventsWaitingMakesTheBooksStaleUntilItMovesAgain(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix("progress.");
    kafka.createTopics(topics, 1);
    kafka.produce(topics, List.of(node("n1"), node("n2"), node("n3")));
    TopicPartition events = new TopicPartition(topics.clusterEvents().name(), 0);
    try (Admin admin = kafka.admin();
         InputProgress progress = new InputProgress(admin, topics.clusterEvents().name(), "progress-ledger",
        topics.nodeBandwidth().name(), "progress-projector", STALE_AFTER, clock, metrics)) {
      progress.check();
      assertThat(progress.stale()).isEmpty();
      assertThat(gauge("bwledger.projector.ledger.lag.records")).isEqualTo(3);

      now = now.plus(STALE_AFTER).minusSeconds(1);
      progress.check();
      assertThat(progress.stale()).as("not yet").isEmpty();

      now = now.plusSeconds(1);
      progress.check();
      assertThat(progress.stale()).hasValue("the ledger (group progress-ledger) has not moved for PT2M while 3 "
          + "events of progress.cluster-events wait: is it running?");

      admin.alterConsumerGroupOffsets("progress-ledger", Map.of(events, new OffsetAndMetadata(2))).all().get();
      progress.check();
      assertThat(progress.stale()).as("it moved").isEmpty();
      assertThat(gauge("bwledger.projector.ledger.lag.records")).isEqualTo(1);

      admin.alterConsumerGroupOffsets("progress-ledger", Map.of(events, new OffsetAndMetadata(3))).all().get();
      progress.check();
      now = now.plus(STALE_AFTER.multipliedBy(10));
      progress.check();
      assertThat(progress.stale()).as("a quiet cluster: nothing waits").isEmpty();
      assertThat(gauge("bwledger.projector.ledger.lag.records")).isZero();
    }
  }

  @Test
  void theAgeIsThatOfTheNewestStateByItsOwnTime(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix("age.");
    kafka.createTopics(topics, 1);
    try (Admin admin = kafka.admin();
         InputProgress progress = new InputProgress(admin, topics.clusterEvents().name(), "age-ledger",
        topics.nodeBandwidth().name(), "age-projector", STALE_AFTER, clock, metrics)) {
      assertThat(gauge("bwledger.projector.input.age.seconds")).isNaN();

      progress.stateArrived(state("n1", now.minusSeconds(30)));
      progress.stateArrived(state("n2", now.minusSeconds(90)));
      progress.stateArrived(null); // a node gone

      assertThat(gauge("bwledger.projector.input.age.seconds")).isEqualTo(30);
    }
  }

  private double gauge(String name) {
    return metrics.get(name).gauge().value();
  }

  private ClusterEvent node(String name) {
    return new ClusterEvent("e-" + name, now, "", new NodeObserved(name, Map.of()));
  }

  private static NodeBandwidth state(String node, Instant updatedAt) {
    LinkFigures figures = new LinkFigures(1_000L, 1_000L, 1_000L, 1_000L);
    return NodeBandwidth.newBuilder().setNode(node).setSpec(null).setCapacity(figures).setUsed(figures)
        .setRemaining(figures).setReservations(List.of()).setOversubscribed(List.of()).setOversubscribedSince(null)
        .setUpdatedAt(updatedAt).setLastEventId("e").build();
  }
}
