package org.bwledger.pipeline.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bwledger.bwctl.bench.ReplayBenchmark;
import org.bwledger.bwctl.bench.TraceReplayBenchmark;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.bench.FoldBenchmark;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * The benchmarks users wait on, in one run and one table, each figure beside its baseline: the
 * fold beside a pass-through Streams app; replay beside reading its file (an export, a kubectl
 * trace); event-to-status latency split at ingest's and the ledger's output and the REST answer;
 * (with {@code wrk} installed) REST beside {@code /healthz}; and the heap per pod and per node. Run
 * it with {@code mvn -Pbench -DskipTests verify}; {@code -Dbench.events=N} sizes the fold and replay
 * histories (1,000,000; the trace at most 100,000), {@code -Dbench.json=FILE} writes the figures as
 * JSON too.
 * Each benchmark also runs alone, with more settings (see its class).
 */
public final class BenchSuite {

  private BenchSuite() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("bench.events", 1_000_000);
    List<Figure> figures = new ArrayList<>();
    figures.addAll(FoldBenchmark.run(events, 2, List.of(LedgerConfig.defaults().emitInterval()), Map.of()));
    figures.addAll(ReplayBenchmark.run(events));
    figures.addAll(TraceReplayBenchmark.run(Math.min(events, 100_000)));
    figures.addAll(ProjectorBenchmark.statusLatency(LedgerConfig.defaults().emitInterval()));
    if (onPath("wrk")) {
      figures.addAll(ProjectorBenchmark.restLatency(2_000));
    } else {
      System.out.println("REST latency skipped: no wrk on the PATH (Debian: apt-get install wrk)");
    }
    figures.addAll(MemoryBenchmark.run(20_000, 1_000));
    System.out.println();
    Figures.report(figures);
  }

  private static boolean onPath(String command) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }
}
