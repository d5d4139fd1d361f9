package org.bwledger.ledger.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.bwledger.ledger.app.DeadLetterHandler;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.testing.LedgerDriver;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.PlacementCount;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LedgerTopologyTest {

  private final EventFactory events = new EventFactory();
  private final LedgerDriver ledger = new LedgerDriver();

  @AfterEach
  void close() {
    ledger.close();
  }

  private Map<String, NodeSummary> summaries() {
    return ledger.store(LedgerTopology.NODE_SUMMARIES_STORE);
  }

  private Set<String> chunks() {
    return ledger.store(LedgerTopology.RESYNC_CHUNKS_STORE).keySet();
  }

  @Test
  void aBarePodIsChargedToLocalAndNetwork() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("p1").on("n1").ip("10.0.0.7").egress("100M").ingress("20M").observed());

    NodeBandwidth n1 = ledger.node("n1");
    assertThat(n1.getCapacity()).isEqualTo(figures(20000, 20000, 1000, 1000));
    assertThat(n1.getUsed()).isEqualTo(figures(100, 20, 100, 20));
    assertThat(n1.getRemaining()).isEqualTo(figures(19900, 19980, 900, 980));
    assertThat(n1.getReservations()).singleElement().satisfies(r -> {
      assertThat(r.getPodUid()).isEqualTo("p1");
      assertThat(r.getPodIp()).isEqualTo("10.0.0.7");
      assertThat(r.getState()).isEqualTo(ReservationState.ACTIVE);
      assertThat(r.getLinkLocal()).isFalse();
    });
    assertThat(n1.getOversubscribed()).isEmpty();
  }

  @Test
  void siblingsAllOnOneNodeAreChargedToLocalOnly() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").ownedBy("w").egress("100M").observed(),
        events.pod("b").on("n1").ownedBy("w").egress("50M").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(150, 0, 0, 0));
    assertThat(ledger.node("n1").getReservations()).allMatch(Reservation::getLinkLocal);
  }

  @Test
  void siblingOnOtherNodeMovesChargeToNetworkAndBackWhenItLeaves() {
    ledger.send(
        events.nodeObserved("n1"),
        events.nodeObserved("n2"),
        events.pod("a").on("n1").ownedBy("w").egress("100M").observed(),
        events.pod("b").on("n1").ownedBy("w").egress("50M").observed());

    ledger.send(events.pod("c").on("n2").ownedBy("w").egress("10M").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(150, 0, 150, 0));
    assertThat(ledger.node("n2").getUsed()).isEqualTo(figures(10, 0, 10, 0));

    ledger.send(events.podGone("c"));

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(150, 0, 0, 0));
    assertThat(ledger.node("n2").getUsed()).isEqualTo(figures(0, 0, 0, 0));
  }

  @Test
  void anExtendersAssumptionCountsAtOnceAndIngestsObservationReplacesIt() {
    ledger.send(events.nodeObserved("n1"), events.pod("p").egress("100M").observed());

    ledger.send(events.pod("p").on("n1").egress("100M").assumed(Duration.ofMinutes(1)));
    assertThat(ledger.node("n1").getReservations()).singleElement()
        .satisfies(r -> assertThat(r.getState()).isEqualTo(ReservationState.ASSUMED));
    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 100, 0));

    // Ingest still reports the pod unscheduled (its view lags the bind): the assumption stands.
    ledger.send(events.pod("p").egress("100M").observed());
    assertThat(ledger.node("n1").getReservations()).singleElement()
        .satisfies(r -> assertThat(r.getState()).isEqualTo(ReservationState.ASSUMED));

    ledger.send(events.pod("p").on("n1").ip("10.0.0.9").egress("100M").observed());
    assertThat(ledger.node("n1").getReservations()).singleElement().satisfies(r -> {
      assertThat(r.getState()).isEqualTo(ReservationState.ACTIVE);
      assertThat(r.getPodIp()).isEqualTo("10.0.0.9");
    });
    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 100, 0));
  }

  @Test
  void anAssumptionArrivingAfterIngestSawThePodPlacedChangesNothing() {
    ledger.send(events.nodeObserved("n1"), events.nodeObserved("n2"),
        events.pod("p").on("n2").egress("100M").observed(),
        events.pod("p").on("n1").egress("100M").assumed(Duration.ofMinutes(1)));

    assertThat(ledger.node("n1").getReservations()).isEmpty();
    assertThat(ledger.node("n2").getReservations()).singleElement()
        .satisfies(r -> assertThat(r.getState()).isEqualTo(ReservationState.ACTIVE));
  }

  @Test
  void anAssumptionIsReleasedByTheFirstEventAtItsDeadlineWhenThePodNeverShowsUp() {
    ledger.send(events.nodeObserved("n1"), events.pod("p").on("n1").egress("100M").assumed(Duration.ofSeconds(3)));

    ledger.send(events.nodeObserved("n1")); // one second later
    assertThat(ledger.node("n1").getReservations()).hasSize(1);
    ledger.send(events.nodeObserved("n1"), events.nodeObserved("n1")); // the second is at the deadline
    assertThat(ledger.node("n1").getReservations()).isEmpty();
    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(0, 0, 0, 0));
  }

  @Test
  void aSiblingNotYetScheduledIsNotOnTheSameNode() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").ownedBy("w").egress("100M").observed(),
        events.pod("b").ownedBy("w").phase("Pending").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 100, 0));

    ledger.send(events.pod("b").on("n1").ownedBy("w").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 0, 0));
  }

  @Test
  void siblingsOfAnotherNamespaceOrControllerDoNotCount() {
    ledger.send(
        events.nodeObserved("n1"),
        events.nodeObserved("n2"),
        events.pod("a").on("n1").ownedBy("w").egress("100M").observed(),
        events.pod("b").on("n2").namespace("other").ownedBy("w").egress("1M").observed(),
        events.pod("c").on("n2").ownedBy("v").egress("1M").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 0, 0));
  }

  @Test
  void terminatedAndDeletingPodsReleaseTheirReservationAndStopBeingSiblings() {
    ledger.send(
        events.nodeObserved("n1"),
        events.nodeObserved("n2"),
        events.pod("a").on("n1").ownedBy("w").egress("100M").observed(),
        events.pod("b").on("n2").ownedBy("w").egress("10M").observed(),
        events.pod("c").on("n2").ownedBy("w").egress("10M").observed());
    assertThat(ledger.node("n2").getUsed()).isEqualTo(figures(20, 0, 20, 0));

    ledger.send(events.pod("b").on("n2").ownedBy("w").egress("10M").phase("Succeeded").observed());
    assertThat(ledger.node("n2").getUsed()).isEqualTo(figures(10, 0, 10, 0));

    ledger.send(events.pod("c").on("n2").ownedBy("w").egress("10M").deleting().observed());
    assertThat(ledger.node("n2").getReservations()).isEmpty();
    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 0, 0));

    ledger.send(events.pod("a").on("n1").ownedBy("w").egress("100M").phase("Failed").observed());
    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(0, 0, 0, 0));
  }

  @Test
  void annotationChangesReplaceTheReservation() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").egress("100M").observed(),
        events.pod("a").on("n1").egress("300M").ingress("5M").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(300, 5, 300, 5));

    ledger.send(events.pod("a").on("n1").observed());

    assertThat(ledger.node("n1").getReservations()).isEmpty();
  }

  @Test
  void invalidAnnotationsHoldAnInvalidReservationThatCountsZero() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("bad").on("n1").egress("10Mbps").ingress("20M").observed(),
        events.pod("good").on("n1").egress("100M").observed());

    NodeBandwidth n1 = ledger.node("n1");
    assertThat(n1.getUsed()).isEqualTo(figures(100, 0, 100, 0));
    Reservation bad = n1.getReservations().get(0);
    assertThat(bad.getPodUid()).isEqualTo("bad");
    assertThat(bad.getState()).isEqualTo(ReservationState.INVALID);
    assertThat(bad.getReason()).isEqualTo("kubernetes.io/egress-bandwidth: \"10Mbps\" is not a Kubernetes quantity");
    assertThat(bad.getUlMbps()).isZero();
    assertThat(bad.getDlMbps()).isZero();
  }

  @Test
  void capacityEditsOverrideDefaultsFieldByFieldUntilCleared() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").egress("100M").observed(),
        events.capacitySet("n1", new CapacitySpec(null, null, 500L, null)));

    assertThat(ledger.node("n1").getCapacity()).isEqualTo(figures(20000, 20000, 500, 1000));
    assertThat(ledger.node("n1").getRemaining()).isEqualTo(figures(19900, 20000, 400, 1000));
    assertThat(ledger.node("n1").getSpec()).isEqualTo(new CapacitySpec(null, null, 500L, null));

    ledger.send(events.capacitySet("n1", null));

    assertThat(ledger.node("n1").getCapacity()).isEqualTo(figures(20000, 20000, 1000, 1000));
  }

  @Test
  void oversubscriptionIsReportedWithTheDimensionAndSince() {
    ledger.send(events.nodeObserved("n1"));
    for (int i = 0; i < 10; i++) {
      ledger.send(events.pod("p" + i).on("n1").egress("100M").observed());
    }
    assertThat(ledger.node("n1").getOversubscribed()).isEmpty();

    Instant overAt = events.now();
    ledger.send(events.pod("p10").on("n1").egress("100M").observed());
    ledger.send(events.pod("p11").on("n1").egress("1M").observed());

    NodeBandwidth n1 = ledger.node("n1");
    assertThat(n1.getRemaining().getNetworkUlMbps()).isEqualTo(-101);
    assertThat(n1.getOversubscribed()).containsExactly("network-ul");
    assertThat(n1.getOversubscribedSince()).isEqualTo(overAt);

    ledger.send(events.podGone("p10"), events.podGone("p11"));

    assertThat(ledger.node("n1").getOversubscribed()).isEmpty();
    assertThat(ledger.node("n1").getOversubscribedSince()).isNull();
  }

  @Test
  void aNodeFilledExactlyToCapacityIsNotOversubscribed() {
    ledger.send(
        events.nodeObserved("n1"),
        events.capacitySet("n1", new CapacitySpec(300L, 200L, 300L, 200L)),
        events.pod("a").on("n1").egress("100M").ingress("100M").observed(),
        events.pod("b").on("n1").egress("200M").ingress("100M").observed());

    NodeBandwidth n1 = ledger.node("n1");
    assertThat(n1.getRemaining()).isEqualTo(figures(0, 0, 0, 0));
    assertThat(n1.getOversubscribed()).isEmpty();
  }

  @Test
  void theLedgerPositionIsTheLatestEventByTimeThenIdWhicheverArrivedLast() {
    ClusterEvent ninth = events.nodeObserved("n1");
    ninth.setEventId("run-9");
    ClusterEvent tenth = events.tie().pod("a").on("n1").egress("1M").observed();
    tenth.setEventId("run-10"); // same instant, an id that sorts before the ninth's
    ledger.send(ninth, tenth);

    assertThat(ledger.node("n1").getLastEventId()).isEqualTo("run-9");
    assertThat(ledger.node("n1").getReservations()).hasSize(1);

    ledger.send(events.podGone("a"));

    assertThat(ledger.node("n1").getLastEventId()).startsWith("e-");
  }

  @Test
  void aNodeGoneIsForgottenOnceNothingIsLeftOnIt() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").egress("1M").observed(),
        events.pod("b").on("n1").egress("1M").observed(),
        events.pod("b").on("n1").egress("2M").observed(),
        events.nodeGone("n1"),
        events.podGone("a"));

    assertThat(summaries()).extractingByKey("n1").extracting(NodeSummary::getReservations).isEqualTo(1);

    ledger.send(events.podGone("b"));

    assertThat(summaries()).doesNotContainKey("n1");
  }

  @Test
  void aPlacementThatEmptiesAndRefillsIsCountedAfresh() {
    ledger.send(
        events.nodeObserved("n1"),
        events.nodeObserved("n2"),
        events.pod("a").on("n1").ownedBy("w").egress("10M").observed(),
        events.pod("b").on("n1").ownedBy("w").egress("10M").observed(),
        events.pod("c").on("n2").ownedBy("w").egress("10M").observed(),
        events.podGone("c"));

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(20, 0, 0, 0));

    ledger.send(events.pod("d").on("n2").ownedBy("w").egress("10M").observed());

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(20, 0, 20, 0));
    assertThat(ledger.<WorkloadSpread>store(LedgerTopology.WORKLOAD_SPREADS_STORE).get("lab/w").getPlacements())
        .extracting(PlacementCount::getPlacement, PlacementCount::getPods)
        .containsExactly(tuple("n1", 2), tuple("n2", 1));
  }

  @Test
  void aGoneNodeIsTombstonedAndComesBackWithWhatItStillHolds() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").egress("100M").observed(),
        events.nodeGone("n1"));

    assertThat(ledger.nodes()).doesNotContainKey("n1");

    ledger.send(events.nodeObserved("n1"));

    assertThat(ledger.node("n1").getUsed()).isEqualTo(figures(100, 0, 100, 0));
  }

  @Test
  void nodesArePublishedOnlyOnceObserved() {
    ledger.send(events.pod("a").on("n1").egress("100M").observed());

    assertThat(ledger.nodes()).isEmpty();

    ledger.send(events.nodeObserved("n1"));

    assertThat(ledger.node("n1").getReservations()).hasSize(1);
  }

  @Test
  void reservationsAreSortedByNamespaceNameAndUid() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("u3").namespace("b").name("x").on("n1").egress("1M").observed(),
        events.pod("u2").namespace("a").name("y").on("n1").egress("1M").observed(),
        events.pod("u1").namespace("a").name("y").on("n1").egress("1M").observed(),
        events.pod("u0").namespace("a").name("z").on("n1").egress("1M").observed());

    assertThat(ledger.node("n1").getReservations()).extracting(Reservation::getPodUid)
        .containsExactly("u1", "u2", "u0", "u3");
  }

  @Test
  void aCompleteResyncRetiresWhatWasMissedButNothingObservedSinceTheRelistBegan() {
    ledger.send(
        events.nodeObserved("n1"),
        events.nodeObserved("n2"),
        events.pod("kept").on("n1").egress("1M").observed(),
        events.pod("missed").on("n1").egress("2M").observed());
    Instant relistStart = events.now();
    ledger.send(
        events.pod("newer").on("n1").egress("4M").observed(),
        events.resyncChunk("r1", 0, false, relistStart, List.of("kept"), List.of("n1")),
        events.resyncChunk("r1", 1, true, relistStart, List.of(), List.of()));

    assertThat(ledger.node("n1").getReservations()).extracting(Reservation::getPodUid)
        .containsExactly("kept", "newer");
    assertThat(ledger.nodes()).doesNotContainKey("n2");
  }

  @Test
  void anIncompleteResyncRetiresNothing() {
    ledger.send(
        events.nodeObserved("n1"),
        events.pod("a").on("n1").egress("1M").observed());
    Instant relistStart = events.now();
    ledger.send(
        events.resyncChunk("r1", 0, false, relistStart, List.of(), List.of()),
        events.resyncChunk("r2", 1, true, relistStart, List.of(), List.of()));

    assertThat(ledger.node("n1").getReservations()).hasSize(1);
  }

  @Test
  void aRelistKeepsOnlyItsOwnChunksAndNoneOnceItEndsWhetherCompleteOrNot() {
    Instant relistStart = events.now();
    ledger.send(events.resyncChunk("r1", 0, false, relistStart, List.of(), List.of()));
    ledger.send(events.resyncChunk("r2", 0, false, relistStart, List.of(), List.of()));

    assertThat(chunks()).containsExactly("r2#0");

    ledger.send(events.resyncChunk("r2", 2, true, relistStart, List.of(), List.of())); // chunk 1 lost

    assertThat(chunks()).isEmpty();

    ledger.send(events.resyncChunk("r3", 0, false, relistStart, List.of(), List.of()),
        events.resyncChunk("r3", 1, true, relistStart, List.of(), List.of()));

    assertThat(chunks()).isEmpty();
  }

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicWithTheReasonAndTheRestIsFolded() {
    ledger.send(events.nodeObserved("n1"));

    ledger.sendRaw("p1", "not avro".getBytes(StandardCharsets.UTF_8));
    ledger.send(events.pod("p1").on("n1").egress("100M").observed());

    List<Headers> deadLetters = ledger.deadLetterHeaders();
    assertThat(deadLetters).singleElement().satisfies(headers -> {
      assertThat(header(headers, DeadLetterHandler.MESSAGE_HEADER))
          .contains("cannot decode org.bwledger.schemas.event.ClusterEvent");
      assertThat(header(headers, DeadLetterHandler.TOPIC_HEADER)).isEqualTo("bw.cluster-events");
      assertThat(header(headers, DeadLetterHandler.OFFSET_HEADER)).isEqualTo("1");
    });
    assertThat(ledger.node("n1").getUsed().getNetworkUlMbps()).isEqualTo(100);
  }

  /**
   * A busy node is published once per window of event time, and each window keeps its last state as
   * a version of its own, whatever the wall clock did: history at any time is what the log says.
   */
  @Test
  void aBusyNodeIsPublishedOncePerWindowOfEventTimeAndEachWindowKeepsItsLastState() {
    ledger.send(
        at("10:00:00.100", events.nodeObserved("n1")),
        at("10:00:00.600", events.pod("a").on("n1").egress("100M").observed()),
        at("10:00:01.200", events.pod("b").on("n1").egress("50M").observed()),
        at("10:00:01.900", events.pod("c").on("n1").egress("10M").observed()),
        at("10:00:05.000", events.podGone("a")));

    List<TestRecord<String, NodeBandwidth>> published = ledger.published();

    assertThat(published).extracting(record -> record.value().getUpdatedAt(),
            record -> record.value().getUsed().getNetworkUlMbps(), TestRecord::timestamp)
        .containsExactly(
            tuple(Instant.parse("2026-11-30T10:00:00.600Z"), 100L, Instant.parse("2026-11-30T10:00:00.600Z")
                .toEpochMilli()),
            tuple(Instant.parse("2026-11-30T10:00:01.900Z"), 160L, Instant.parse("2026-11-30T10:00:01.900Z")
                .toEpochMilli()),
            tuple(Instant.parse("2026-11-30T10:00:05Z"), 60L, Instant.parse("2026-11-30T10:00:05Z").toEpochMilli()));
  }

  /**
   * A node not published within the last emit interval is published as soon as its change has its
   * turn; a node changing again within the interval waits for its end, and then holds both changes.
   */
  @Test
  void aQuietNodeIsPublishedAtOnceAndABusyOneAtTheEndOfItsInterval() {
    Instant start = Instant.now();
    ledger.send(dated(start, events.nodeObserved("n1")));
    ledger.published();
    Instant now = start.plus(LedgerDriver.EMIT_INTERVAL.multipliedBy(12)); // what published() lets pass

    ledger.send(dated(now.plusMillis(10), events.pod("a").on("n1").egress("100M").observed()));
    assertThat(ledger.publishedWithin(Duration.ofMillis(300)))
        .extracting(record -> record.value().getUsed().getNetworkUlMbps()).containsExactly(100L);

    ledger.send(dated(now.plusMillis(320), events.pod("b").on("n1").egress("50M").observed()));
    assertThat(ledger.publishedWithin(Duration.ofMillis(300))).isEmpty();
    assertThat(ledger.publishedWithin(LedgerDriver.EMIT_INTERVAL))
        .extracting(record -> record.value().getUsed().getNetworkUlMbps()).containsExactly(150L);
  }

  private static ClusterEvent dated(Instant observedAt, ClusterEvent event) {
    event.setObservedAt(observedAt);
    return event;
  }

  /**
   * An event dated before what its partition has already said it sent (a clock that went back, or
   * a partition taken for quiet) comes after its turn: it is applied with the next changes, counted,
   * and nothing is lost.
   */
  @Test
  void aChangeAfterItsTurnIsAppliedAndCounted() {
    ledger.send(
        at("10:00:00.100", events.nodeObserved("n1")),
        at("10:00:02.000", events.pod("a").on("n1").ownedBy("rs").egress("100M").observed()));
    assertThat(ledger.node("n1").getUsed().getLocalUlMbps()).isEqualTo(100L);
    assertThat(ledger.lateChangesCounted()).isZero();

    ledger.send(at("10:00:01.000", events.pod("b").on("n1").ownedBy("rs").egress("50M").observed()));

    assertThat(ledger.node("n1").getReservations()).extracting(r -> r.getPodUid(), r -> r.getLinkLocal())
        .containsExactly(tuple("a", true), tuple("b", true));
    assertThat(ledger.node("n1").getUsed().getLocalUlMbps()).isEqualTo(150L);
    assertThat(ledger.lateChangesCounted()).isPositive();
  }

  private static ClusterEvent at(String time, ClusterEvent event) {
    event.setObservedAt(Instant.parse("2026-11-30T" + time + "Z"));
    return event;
  }

  /**
   * Events that decode but make no sense are turned away whole, each with its reason, before they
   * touch the books: the fold goes on, and counts them. The first once stopped the ledger for good.
   */
  @Test
  void absurdEventsGoToTheDeadLetterTopicWithTheReasonAndTheFoldGoesOn() {
    ledger.send(events.nodeObserved("n1"), events.pod("p1").on("n1").egress("100M").observed());
    ClusterEvent beforeTime = events.pod("p2").on("n1").egress("100M").observed();
    beforeTime.setObservedAt(Instant.ofEpochMilli(Long.MIN_VALUE));
    ClusterEvent negative = events.capacitySet("n1", new CapacitySpec(null, null, -5L, null));
    ClusterEvent longName = events.nodeObserved("n".repeat(100_000));
    ClusterEvent hugeResync = events.resyncChunk("r1", 0, true, events.now(), Collections.nCopies(10_000_000, "u"),
        List.of());

    ledger.send(beforeTime, negative, longName, hugeResync);
    ledger.send(events.pod("p3").on("n1").egress("50M").observed());

    assertThat(ledger.deadLetters()).extracting(record -> header(record.headers(), DeadLetterHandler.MESSAGE_HEADER))
        .containsExactly("observedAt -292275055-05-16T16:47:04.192Z is outside [1970-01-01T00:00:00Z, "
                + "9999-12-31T23:59:59.999Z]",
            "capacity.networkUlMbps -5 is outside [0, 1000000000] Mbit/s",
            "name has 100000 characters, more than 253",
            "resync chunk names 10000000 pods and nodes, more than 100000");
    assertThat(ledger.deadLettersCounted("rejected")).isEqualTo(4);
    NodeBandwidth n1 = ledger.node("n1");
    assertThat(n1.getReservations()).extracting(Reservation::getPodUid).containsExactly("p1", "p3");
    assertThat(n1.getCapacity().getNetworkUlMbps()).isEqualTo(1000);
    assertThat(ledger.nodes()).containsOnlyKeys("n1");
  }

  @Test
  void aRejectedEventGoesToTheDeadLetterTopicAsItCame() {
    ClusterEvent negative = events.capacitySet("n1", new CapacitySpec(-1L, null, null, null));

    ledger.send(negative);

    assertThat(ledger.deadLetters()).singleElement().satisfies(record -> {
      assertThat(AvroSerde.of(ClusterEvent.class).deserializer().deserialize("bw.cluster-events", record.value()))
          .isEqualTo(negative);
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("n1");
      assertThat(header(record.headers(), DeadLetterHandler.EXCEPTION_HEADER)).isEqualTo(RejectedEvent.class.getName());
    });
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static LinkFigures figures(long localUl, long localDl, long networkUl, long networkDl) {
    return new LinkFigures(localUl, localDl, networkUl, networkDl);
  }
}
