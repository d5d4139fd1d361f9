package org.bwledger.bwctl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bwledger.bwctl.Bwctl;
import org.bwledger.bwctl.testing.ArrivalsTrace;

/**
 * {@code bwctl compare} with four policies on a generated trace of arrivals at tight capacity: 50
 * nodes with room for 4 pods each, two-pod workloads arriving about once a second, about 180 pods
 * live at a time for room for 200; three events a pod. Prints the comparison and the time it took. Run on
 * demand: {@code mvn -q -pl bwctl exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.bwctl.bench.CompareBenchmark -Dexec.args="100000"}.
 */
public final class CompareBenchmark {

  private CompareBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    ArrivalsTrace arrivals = ArrivalsTrace.generate(42, 50, 4, events / 6, 1_000, 45_000);
    Path trace = arrivals.write(Files.createTempFile("bwledger-arrivals", ".json"));
    try {
      System.out.printf("%,d pod events on %d nodes in %s (%,d KiB)%n", arrivals.events().size(),
          arrivals.nodes().size(), trace, Files.size(trace) >> 10);
      long start = System.nanoTime();
      Bwctl.commandLine().execute("compare", trace.toString(), "--policy", "as-recorded", "--policy",
          "siblings-then-remaining", "--policy", "first-fit", "--policy", "spread");
      System.out.printf("four policies compared in %.1f s%n", (System.nanoTime() - start) / 1e9);
    } finally {
      Files.delete(trace);
    }
  }
}
