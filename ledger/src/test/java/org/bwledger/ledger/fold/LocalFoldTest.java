package org.bwledger.ledger.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.PodAssumed;
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

  @Test
  void theFirstStageTellsItsNoticesWithWhatTheyConcern() {
    List<String> noticed = new ArrayList<>();
    FoldNotices notices = new FoldNotices() {
      @Override
      public void assumptionReleased(PodAssumed assumed) {
        noticed.add("released " + assumed.getName() + " on " + assumed.getNodeName());
      }

      @Override
      public void resyncCompleted(String resyncId, int podsRetired, int nodesRetired) {
        noticed.add(resyncId + " retired " + podsRetired + " pods, " + nodesRetired + " nodes");
      }

      @Override
      public void resyncIncomplete(String resyncId, int missingChunk, int chunks) {
        noticed.add(resyncId + " lacks chunk " + missingChunk + " of " + chunks);
      }
    };
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT, 1, notices);
    fold.apply(events.nodeObserved("n1"));
    fold.apply(events.nodeObserved("n2"));
    fold.apply(events.pod("gone").on("n1").observed());
    fold.apply(events.pod("kept").on("n1").observed());
    fold.apply(events.pod("lapsing").name("lapsing").on("n2").assumed(Duration.ofSeconds(1)));
    fold.apply(events.pod("other").on("n1").observed()); // at the deadline
    Instant relistStart = events.now();
    fold.apply(events.resyncChunk("r1", 0, false, relistStart, List.of("kept"), List.of()));
    fold.apply(events.resyncChunk("r1", 2, true, relistStart, List.of(), List.of("n1")));
    fold.apply(events.resyncChunk("r2", 0, true, relistStart, List.of("kept"), List.of("n1")));

    assertThat(noticed).containsExactly("released lapsing on n2", "r1 lacks chunk 1 of 3",
        "r2 retired 2 pods, 1 nodes");
  }

  @Test
  void aNodeGoneForgetsItsTraffic() {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    fold.apply(events.nodeObserved("n1"));
    fold.apply(events.capacitySet("n1", new CapacitySpec(null, null, 500L, null))); // its books outlive it
    fold.apply(events.trafficSampled("n1", events.now(), List.of(new InterfaceCounters("eth0", 0L, 0L))));
    fold.apply(events.trafficSampled("n1", events.now(), List.of(new InterfaceCounters("eth0", 1_000L, 0L))));
    assertThat(fold.published("n1").getTraffic().getMeasured()).isNotNull();

    fold.apply(events.nodeGone("n1"));
    fold.apply(events.trafficSampled("n1", events.now(), List.of(new InterfaceCounters("eth0", 2_000L, 0L))));
    fold.apply(events.nodeObserved("n1"));

    assertThat(fold.published("n1").getTraffic()).as("nothing carried over, nothing taken while gone").isNull();
  }
}
