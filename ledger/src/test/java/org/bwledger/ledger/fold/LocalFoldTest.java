package org.bwledger.ledger.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.topic.KeyPartitioner;
import org.junit.jupiter.api.Test;

class LocalFoldTest {

  private final EventFactory events = new EventFactory();

  @Test
  void aRelistReachesThePodsOfEveryPartition() {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT, 3, FoldNotices.LOGGED);
    fold.apply(events.nodeObserved("n1"));
    List<String> uids = IntStream.range(0, 12).mapToObj(i -> "pod-" + i).toList();
    uids.forEach(uid -> fold.apply(events.pod(uid).on("n1").egress("1M").observed()));
    Instant relistStart = events.now();

    fold.apply(events.resyncChunk("r1", 0, true, relistStart, uids.subList(0, 2), List.of("n1")));

    assertThat(fold.published("n1").getReservations()).extracting(Reservation::getPodUid)
        .containsExactly("pod-0", "pod-1");
  }

  @Test
  void anAssumptionIsReleasedByTheFirstEventAtItsDeadlineInItsOwnPartitionOnly() {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT, 2, FoldNotices.LOGGED);
    fold.apply(events.nodeObserved("n1"));
    int partition = KeyPartitioner.partition("pod-0", 2);
    List<String> others = IntStream.range(1, 20).mapToObj(i -> "pod-" + i)
        .filter(uid -> KeyPartitioner.partition(uid, 2) != partition).toList();
    List<String> neighbours = IntStream.range(1, 20).mapToObj(i -> "pod-" + i)
        .filter(uid -> KeyPartitioner.partition(uid, 2) == partition).toList();

    fold.apply(events.pod("pod-0").on("n1").egress("1M").assumed(Duration.ofSeconds(1)));
    fold.apply(events.pod(others.get(0)).observed()); // at the deadline, in the other partition

    assertThat(fold.published("n1").getReservations()).extracting(Reservation::getPodUid).containsExactly("pod-0");

    fold.apply(events.pod(neighbours.get(0)).observed());

    assertThat(fold.published("n1").getReservations()).isEmpty();
  }

  @Test
  void itTellsWhichNodesTheLastEventChanged() {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    fold.apply(events.nodeObserved("n1"));
    fold.apply(events.nodeObserved("n2"));

    assertThat(fold.touchedNodes()).containsExactly("n2");

    fold.apply(events.pod("a").on("n1").egress("1M").observed());

    assertThat(fold.touchedNodes()).containsExactly("n1");

    fold.apply(events.pod("b").observed());

    assertThat(fold.touchedNodes()).isEmpty();
  }
}
