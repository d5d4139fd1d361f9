package org.bwledger.ledger.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * What sampling traffic costs: the events it adds to the log (one a node an interval), their size,
 * and how fast the fold takes them, beside pod observations of the same nodes in the same fold (the
 * baseline). 1,000 nodes with two interfaces each and 25 pods each. Run on demand:
 * {@code mvn -q -pl ledger exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.ledger.bench.TrafficSamplingBenchmark}.
 */
public final class TrafficSamplingBenchmark {

  private static final int NODES = 1_000;
  private static final int ROUNDS = 200;
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private TrafficSamplingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Figures.report(run());
  }

  public static List<Figure> run() {
    EventFactory events = new EventFactory(Instant.parse("2026-12-01T00:00:00Z"));
    List<ClusterEvent> setup = new ArrayList<>();
    List<ClusterEvent> pods = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      setup.add(events.nodeObserved("node-" + n));
    }
    for (int round = 0; round < ROUNDS / 8; round++) {
      for (int p = 0; p < NODES; p++) {
        pods.add(events.tie().pod("pod-" + (round * NODES + p) % (NODES * 25)).on("node-" + p).egress("10M").observed());
      }
    }
    List<ClusterEvent> samples = new ArrayList<>();
    Instant at = events.now();
    for (int round = 0; round < ROUNDS; round++) {
      at = at.plus(INTERVAL);
      for (int n = 0; n < NODES; n++) {
        long bytes = (long) round * 125_000_000L + n;
        samples.add(events.tie().trafficSampled("node-" + n, at, List.of(
            new InterfaceCounters("eth0", bytes, bytes / 2), new InterfaceCounters("eth1", bytes / 3, bytes / 4))));
      }
    }
    int bytes = AvroSerde.of(ClusterEvent.class).encode(samples.get(0)).length;
    System.out.printf("%,d samples of %,d nodes (%d B each encoded), %,d pod observations%n", samples.size(), NODES,
        bytes, pods.size());

    Figure best = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      LocalFold fold = new LocalFold(LedgerRules.DEFAULT, 1, FoldNotices.LOGGED);
      setup.forEach(fold::apply);
      long start = System.nanoTime();
      pods.forEach(fold::apply);
      double podRate = pods.size() / ((System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      samples.forEach(fold::apply);
      double sampleRate = samples.size() / ((System.nanoTime() - start) / 1e9);
      System.out.printf("attempt %d: samples %,.0f/s, pod observations %,.0f/s%n", attempt, sampleRate, podRate);
      Figure figure = Figure.of("traffic", "fold of traffic samples, 2 interfaces a node", sampleRate, "events/s")
          .beside("pod observations, same fold", podRate);
      best = best == null || figure.value() > best.value() ? figure : best;
    }
    double perThousandNodes = 1_000.0 / INTERVAL.toSeconds();
    return List.of(best,
        Figure.of("traffic", "events a sampling interval of 10 s adds per 1,000 nodes", perThousandNodes, "events/s"),
        Figure.of("traffic", "bytes on bw.cluster-events per 1,000 nodes", perThousandNodes * bytes, "B/s"));
  }
}
