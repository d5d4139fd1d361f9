package org.bwledger.bwctl.bench;

import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bwledger.bwctl.export.EventFile;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * How fast {@code bwctl replay} folds an exported file of {@code events} cluster events (2,000 nodes,
 * 50,000 pods, 4,000 workloads), beside only reading the same file (the baseline). Two rounds; the
 * second, warm, is reported. Run on demand:
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
  public static List<Figure> run(int events) throws IOException {
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

      Figure replay = null;
      for (int round = 1; round <= 2; round++) {
        long start = System.nanoTime();
        long read = 0;
        try (InputStream in = Files.newInputStream(file); EventFile.Reader reader = EventFile.open(in)) {
          for (ClusterEvent ignored : reader) {
            read++;
          }
        }
        double readRate = read / ((System.nanoTime() - start) / 1e9);

        start = System.nanoTime();
        BwctlRun run = bwctl("replay", "--no-progress", file.toString());
        double replayRate = events / ((System.nanoTime() - start) / 1e9);
        if (run.exitCode() != 0) {
          throw new IllegalStateException("bwctl replay exited " + run.exitCode() + ": " + run.err());
        }
        System.out.printf("round %d: reading only %,.0f events/s; bwctl replay %,.0f events/s, %d nodes%n", round,
            readRate, replayRate, run.out().lines().count() - 1);
        replay = Figure.of("replay", String.format("bwctl replay, %,d exported events", events), replayRate,
            "events/s").beside("reading the file only", readRate);
      }
      return List.of(replay);
    } finally {
      Files.delete(file);
    }
  }
}
