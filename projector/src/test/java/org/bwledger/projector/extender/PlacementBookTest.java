package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.ledger.rules.MeasuredTraffic;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;
import org.junit.jupiter.api.Test;

class PlacementBookTest {

  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  private final PlacementBook book = new PlacementBook();

  @Test
  void aHoldCountsUntilAPublishedStateShowsThePod() {
    book.update("n1", States.node("n1", List.of()));

    assertThat(book.hold("n1", pod("a", null, 600), T, T.plusSeconds(30))).isNull();
    assertThat(book.hold("n1", pod("b", null, 600), T, T.plusSeconds(30)))
        .isEqualTo("network-ul needs 600 Mbit/s, 400 remain (600 held by binds in flight)");

    book.update("n1", States.node("n1", List.of(States.reservation("a", "lab", "a", null, 600, false))));
    assertThat(book.pendingBinds(T)).isZero();
    assertThat(book.shortfalls(List.of("n1"), pod("b", null, 600), T))
        .containsExactly(Map.entry("n1", "network-ul needs 600 Mbit/s, 400 remain"));
  }

  @Test
  void theHoldsListedAreTheBindsInFlightUntilShownOrLapsed() {
    book.update("n1", States.node("n1", List.of()));
    book.update("n2", States.node("n2", List.of()));
    book.hold("n1", pod("a", null, 300), T, T.plusSeconds(30));
    book.hold("n2", pod("b", null, 200), T, T.plusSeconds(10));

    assertThat(book.holds(T)).containsExactly(
        new PlacementBook.Hold("lab/a", "n1", 300, 0, T.plusSeconds(30)),
        new PlacementBook.Hold("lab/b", "n2", 200, 0, T.plusSeconds(10)));
    book.update("n1", States.node("n1", List.of(States.reservation("a", "lab", "a", null, 300, false))));
    assertThat(book.holds(T)).extracting(PlacementBook.Hold::pod).containsExactly("lab/b");
    assertThat(book.holds(T.plusSeconds(10))).isEmpty();
  }

  @Test
  void aHoldLapsesAtItsDeadline() {
    book.update("n1", States.node("n1", List.of()));
    book.hold("n1", pod("a", null, 600), T, T.plusSeconds(30));

    assertThat(book.shortfalls(List.of("n1"), pod("b", null, 600), T.plusSeconds(29))).hasSize(1);
    assertThat(book.shortfalls(List.of("n1"), pod("b", null, 600), T.plusSeconds(30))).isEmpty();
  }

  @Test
  void bindsReadBackAreHeldUnlessAStateShowsThemOrTheyExpired() {
    book.update("n1", States.node("n1", List.of(States.reservation("shown", "lab", "shown", null, 100, false))));
    book.hold("n1", pod("mine", null, 100), T, T.plusSeconds(30));

    int restored = book.restore(List.of(
        new StandingAssumptions.Assumption(pod("theirs", null, 500), "n1", T.plusSeconds(20)),
        new StandingAssumptions.Assumption(pod("shown", null, 100), "n1", T.plusSeconds(20)),
        new StandingAssumptions.Assumption(pod("lapsed", null, 100), "n1", T),
        new StandingAssumptions.Assumption(pod("mine", null, 100), "n1", T.plusSeconds(30))), T);

    assertThat(restored).isEqualTo(1);
    assertThat(book.pendingBinds(T)).isEqualTo(2);
    // Held without a check of room: the bind was made. What is left is what every hold leaves.
    assertThat(book.shortfalls(List.of("n1"), pod("next", null, 400), T))
        .containsExactly(Map.entry("n1", "network-ul needs 400 Mbit/s, 300 remain (600 held by binds in flight)"));
  }

  @Test
  void placingASiblingAwayFromItsLinkLocalHomeNeedsNetworkRoomAtHome() {
    // Three pods of "web" sit on n1 only, charged to local; n1's network is nearly full with others.
    book.update("n1", States.node("n1", List.of(
        States.reservation("w1", "lab", "web-1", "web", 200, true),
        States.reservation("w2", "lab", "web-2", "web", 200, true),
        States.reservation("x", "lab", "x", null, 700, false))));
    book.update("n2", States.node("n2", List.of()));

    assertThat(book.shortfalls(List.of("n1", "n2"), pod("w3", "web", 100), T)).containsExactly(Map.entry("n2",
        "its siblings on n1 would be charged to network there: network-ul needs 400 Mbit/s, 300 remain"));
    assertThat(book.shortfalls(List.of("n2"), pod("y", null, 100), T)).isEmpty(); // no sibling: n2 is fine
  }

  @Test
  void scoresRankSiblingsFirstThenNetworkLeftAndStayWithinZeroToTen() {
    book.update("n1", States.node("n1", List.of(States.reservation("w1", "lab", "web-1", "web", 900, false))));
    book.update("n2", States.node("n2", List.of()));
    book.update("n3", States.node("n3", List.of(States.reservation("x", "lab", "x", null, 500, false))));

    Map<String, Integer> siblingsFirst = book.scores(List.of("n1", "n2", "n3", "gone"), pod("w2", "web", 50),
        Scoring.SIBLINGS_THEN_REMAINING, T);
    assertThat(siblingsFirst).containsExactly(Map.entry("n1", 6), Map.entry("n2", 5), Map.entry("n3", 2),
        Map.entry("gone", 0));

    Map<String, Integer> spread = book.scores(List.of("n1", "n2", "n3"), pod("w2", "web", 50), Scoring.REMAINING, T);
    assertThat(spread).containsExactly(Map.entry("n1", 1), Map.entry("n2", 10), Map.entry("n3", 5));
  }

  @Test
  void seedingFillsOnlyNodesNoUpdateToldOf() {
    book.update("n1", States.node("n1", List.of(States.reservation("a", "lab", "a", null, 900, false))));
    book.seed(List.of(States.node("n1", List.of()), States.node("n2", List.of())));

    assertThat(book.shortfalls(List.of("n1", "n2"), pod("b", null, 200), T)).containsOnlyKeys("n1");
  }

  @Test
  void withMeasuredHeadroomANodeCarryingMoreThanReservedHasLessRoomWhileTheMeasurementIsFresh() {
    PlacementBook measuring = new PlacementBook(true);
    // 200 Mbit/s reserved, 700 carried: headroom 300, remaining 800
    NodeBandwidth busy = measured(States.node("n1", List.of(States.reservation("r", "lab", "r", null, 200, false))),
        700, T);
    measuring.update("n1", busy);
    book.update("n1", busy);

    assertThat(measuring.shortfalls(List.of("n1"), pod("a", null, 300), T)).isEmpty();
    assertThat(measuring.shortfalls(List.of("n1"), pod("a", null, 301), T)).containsExactly(Map.entry("n1",
        "measured headroom up needs 301 Mbit/s, 300 remain, the node carrying 700/0 Mbit/s"));
    assertThat(measuring.hold("n1", pod("a", null, 200), T, T.plusSeconds(30))).isNull();
    assertThat(measuring.shortfalls(List.of("n1"), pod("b", null, 101), T)).containsExactly(Map.entry("n1",
        "measured headroom up needs 101 Mbit/s, 100 remain (200 held by binds in flight), the node carrying 700/0 Mbit/s"));
    assertThat(measuring.shortfalls(List.of("n1"), pod("b", null, 101), T.plus(MeasuredTraffic.STALE_AFTER).plusMillis(1)))
        .as("a stale measurement is unknown: reservations alone").isEmpty();
    assertThat(book.shortfalls(List.of("n1"), pod("a", null, 700), T)).as("a book of reservations alone").isEmpty();
  }

  /** The node as published with its traffic measured at {@code at}: {@code ulMbps} carried out, nothing in. */
  private static NodeBandwidth measured(NodeBandwidth node, double ulMbps, Instant at) {
    long capacity = node.getCapacity().getNetworkUlMbps();
    long used = node.getUsed().getNetworkUlMbps();
    node.setTraffic(new Traffic(new TrafficFigures(ulMbps, 0.0), at, 10_000L, "test",
        new TrafficFigures(ulMbps / capacity, 0.0), new TrafficFigures(ulMbps - used, 0.0),
        new TrafficFigures(capacity - Math.max(used, ulMbps), (double) node.getCapacity().getNetworkDlMbps())));
    return node;
  }

  private static PodDemand pod(String uid, String owner, long egressMbps) {
    Owner controller = owner == null ? null : new Owner("ReplicaSet", owner, "uid-" + owner);
    return new PodDemand(uid, "lab", uid, Map.of(), controller, Workloads.keyOf("lab", controller),
        BandwidthRequest.valid(egressMbps, 0));
  }
}
