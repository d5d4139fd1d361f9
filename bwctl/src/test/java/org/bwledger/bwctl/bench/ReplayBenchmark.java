package org.bwledger.bwctl.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bwledger.bwctl.export.EventFile;
import org.bwledger.bwctl.testing.BatchProcess;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * How fast {@code bwctl replay} folds an exported file of {@code events} cluster events (2,000 nodes,
 * 50,000 pods, 4,000 workloads), beside only reading the same file (the baseline). Replay runs as a
 * user runs it, a process of its own started as {@code bin/bwctl} starts it, its JVM's start-up
 * included; reading runs in this JVM. Two rounds; the faster is reported. Run on demand:
 * {@code mvn -q -pl bwctl exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.bwctl.bench.ReplayBenchmark -Dexec.args="1000000"}
 * ({@code -Dbench.json=FILE} writes the figures as JSON too).
 */
public final class ReplayBenchmark {

  private ReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Figures.report(run(args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000));
  }

  /** Replay's rate beside reading only, on a file of {@code events} generated events. */
  public static List<Figure> run(int events) throws IOException, InterruptedException {
    Path file = Files.createTempFile("bwledger-replay", ".avro");
    try {
      try (EventFile.Writer writer = EventFile.create(file, 1)) {
        new ClusterHistory(2_000, 50_000, 4_000, events).generate(1, new EventFactory(), event -> {
          try {
            writer.append(event);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      System.out.printf("%,d events in %s (%,d MiB)%n", events, file, Files.size(file) >> 20);

      Figure fastest = null;
      for (int round = 1; round <= 2; round++) {
        long start = System.nanoTime();
        long read = 0;
        try (InputStream in = Files.newInputStream(file); EventFile.Reader reader = EventFile.open(in)) {
          for (ClusterEvent ignored : reader) {
            read++;
          }
        }
        double readRate = read / ((System.nanoTime() - start) / 1e9);

        BatchProcess run = BatchProcess.bwctl("replay", "--no-progress", file.toString());
        double replayRate = events / (run.elapsed().toNanos() / 1e9);
        if (run.exitCode() != 0) {
          throw new IllegalStateException("bwctl replay exited " + run.exitCode());
        }
        System.out.printf("round %d: reading only %,.0f events/s; bwctl replay %,.0f events/s, %d nodes%n", round,
            readRate, replayRate, run.out().lines().count() - 1);
        Figure replay = Figure.of("replay", String.format("bwctl replay, %,d exported events", events), replayRate,
            "events/s").beside("reading the file only", readRate);
        fastest = fastest == null || replay.value() > fastest.value() ? replay : fastest;
      }
      return List.of(fastest);
    } finally {
      Files.delete(file);
    }
  }
}
