package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.junit.jupiter.api.Test;

/** The same history against other capacities, and when nodes would have been oversubscribed. */
class WhatIfReplayTest {

  private static final String SAMPLE = "../examples/lab-trace.json";

  @Test
  void aNodesCapacityOverrideChangesThatNodeOnly() {
    BwctlRun run = bwctl("replay", "--capacity", "worker-2:network-ul=500", SAMPLE);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).containsPattern("worker-2\\s+500/1000\\s+900/0\\s+-400/1000.*True")
        .containsPattern("worker-1\\s+1000/1000\\s+0/0\\s+1000/1000");
  }

  @Test
  void anOverrideKeepsTheOtherDimensionsOfTheNodesOwnSpec() {
    // worker-3's Bandwidth spec sets 10000/10000 network; only its downlink is overridden.
    BwctlRun run = bwctl("replay", "--capacity", "worker-3:network-dl=200", SAMPLE);

    assertThat(run.out()).containsPattern("worker-3\\s+10000/200\\s+0/0\\s+10000/200");
  }

  @Test
  void aBadOverrideIsACommandLineErrorSayingWhy() {
    BwctlRun run = bwctl("replay", "--capacity", "worker-2:net=5", SAMPLE);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("unknown dimension 'net'");
    assertThatThrownBy(() -> CapacityOverride.parse("worker-2=5")).hasMessageContaining("NODE:DIMENSION=MBPS");
    assertThatThrownBy(() -> CapacityOverride.parse("worker-2:local-ul=lots")).hasMessageContaining("'lots'");
  }

  @Test
  void theReportOnAGeneratedHistoryMatchesANaiveLookAtEveryNodeAfterEveryEvent() {
    LedgerRules tight = new LedgerRules(AnnotationKeys.DEFAULT, new DefaultCapacity(400, 400, 150, 150));
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(6, 80, 10, 4_000).generate(5, new EventFactory(), history::add);

    List<OversubscriptionReport.NodeOversubscription> report =
        new Replay(tight).run(history, new Replay.Options(null, List.of(), true, false, 1, null)).oversubscribed();

    assertThat(report).isNotEmpty().isEqualTo(naive(tight, history));
  }

  @Test
  void theReportOnTheSampleSaysWhichNodesAndWhen() {
    BwctlRun run = bwctl("replay", "--default-network-ul-mbps", "500", "--oversubscription", SAMPLE);

    assertThat(run.out()).containsPattern("NODE\\s+FIRST-OVERSUBSCRIBED\\s+FOR\\s+TIMES\\s+DIMENSIONS")
        .containsPattern("worker-2\\s+\\S+Z\\s+\\S+s\\s+1\\s+network-ul");
    assertThat(bwctl("replay", "--default-network-ul-mbps", "100000", "--oversubscription", SAMPLE).out())
        .contains("no node was oversubscribed");
  }

  /** Every node's state after every event, and the spells below 0 they make. */
  private static List<OversubscriptionReport.NodeOversubscription> naive(LedgerRules rules, List<ClusterEvent> events) {
    LocalFold fold = new LocalFold(rules);
    Map<String, Instant> since = new TreeMap<>();
    Map<String, Instant> first = new TreeMap<>();
    Map<String, Duration> total = new TreeMap<>();
    Map<String, Integer> spells = new TreeMap<>();
    Map<String, TreeSet<String>> dimensions = new TreeMap<>();
    Instant last = null;
    for (ClusterEvent event : events) {
      fold.apply(event);
      last = event.getObservedAt();
      Map<String, NodeBandwidth> now = fold.published();
      TreeSet<String> known = new TreeSet<>(now.keySet());
      known.addAll(since.keySet());
      for (String node : known) {
        NodeBandwidth state = now.get(node);
        boolean over = state != null && !state.getOversubscribed().isEmpty();
        if (over) {
          dimensions.computeIfAbsent(node, n -> new TreeSet<>()).addAll(state.getOversubscribed());
          if (!since.containsKey(node)) {
            since.put(node, last);
            first.putIfAbsent(node, last);
            spells.merge(node, 1, Integer::sum);
          }
        } else if (since.containsKey(node)) {
          total.merge(node, Duration.between(since.remove(node), last), Duration::plus);
        }
      }
    }
    List<OversubscriptionReport.NodeOversubscription> out = new ArrayList<>();
    for (String node : first.keySet()) {
      Duration spent = total.getOrDefault(node, Duration.ZERO);
      if (since.containsKey(node)) {
        spent = spent.plus(Duration.between(since.get(node), last));
      }
      out.add(new OversubscriptionReport.NodeOversubscription(node, first.get(node), spent, spells.get(node),
          List.copyOf(dimensions.get(node))));
    }
    return out;
  }
}
