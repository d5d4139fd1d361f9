package org.bwledger.bwctl.bench;

import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bwledger.bwctl.export.EventFile;
import org.bwledger.bwctl.testing.BwctlRun;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;

/**
 * How fast {@code bwctl replay} folds an exported file of {@code events} cluster events (2,000 nodes,
 * 50,000 pods, 4,000 workloads), beside only reading the same file (the baseline). Run on demand:
 * {@code mvn -q -pl bwctl exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.bwctl.bench.ReplayBenchmark -Dexec.args="1000000"}.
 */
public final class ReplayBenchmark {

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path file = Files.createTempFile("bwledger-replay", ".avro");
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
      BwctlRun replay = bwctl("replay", "--no-progress", file.toString());
      double replayRate = events / ((System.nanoTime() - start) / 1e9);
      System.out.printf("round %d: reading only %,.0f events/s; bwctl replay %,.0f events/s (%.2f of reading), "
          + "%d nodes, exit %d%n", round, readRate, replayRate, replayRate / readRate,
          replay.out().lines().count() - 1, replay.exitCode());
    }
    Files.delete(file);
  }
}
