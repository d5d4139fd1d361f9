package org.bwledger.bwctl.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.bwledger.bwctl.export.EventFile;

/**
 * What the commands that replay read: a trace of watch events (kubectl's or {@code bwctl record}'s
 * JSON lines, or standard input for {@code -}) or an Avro file of cluster events from
 * {@code bwctl export}, told apart by its first bytes.
 */
public final class TraceInput {

  /** Traces larger than this get a progress bar on standard error. */
  private static final long PROGRESS_THRESHOLD_BYTES = 64L << 20;

  private TraceInput() {}

  /** Why {@code trace} cannot be read as a trace file, if it cannot: it is missing, or a directory. */
  public static Optional<String> unreadable(Path trace) {
    if (Files.isRegularFile(trace)) {
      return Optional.empty();
    }
    return Optional.of(Files.isDirectory(trace) ? "the trace " + trace + " is a directory; give a file"
        : "no trace at " + trace);
  }

  /**
   * Replays {@code trace}. An exported file damaged part way is replayed up to the damage, which the
   * result reports as skipped.
   *
   * @param progress whether a large file shows a progress bar on standard error
   */
  public static Replay.Result replay(String trace, Replay replay, Replay.Options options, boolean progress)
      throws IOException {
    if (!trace.equals("-") && EventFile.isEventFile(Path.of(trace))) {
      Optional<String> damage = EventFile.damage(Path.of(trace));
      Replay.Result result;
      try (EventFile.Reader events = EventFile.open(input(Path.of(trace), progress))) {
        result = replay.run(events, options.withPartitions(events.partitions()));
      }
      if (damage.isPresent() && result.skipped().stream().noneMatch(problem -> problem.startsWith("after event"))) {
        result = result.skipping(damage.get() + "; the rest is not replayed");
      }
      return result;
    }
    try (BufferedReader in = trace.equals("-")
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : new BufferedReader(new InputStreamReader(input(Path.of(trace), progress), StandardCharsets.UTF_8))) {
      return replay.run(in, options);
    }
  }

  /** The file's bytes, behind a progress bar on standard error when it is large. */
  private static InputStream input(Path file, boolean progress) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (progress && Files.size(file) > PROGRESS_THRESHOLD_BYTES) {
      in = ProgressBar.wrap(in, new ProgressBarBuilder()
          .setTaskName("replay " + file.getFileName())
          .setUnit(" MiB", 1 << 20)
          .setInitialMax(Files.size(file))
          .setConsumer(new ConsoleProgressBarConsumer(System.err)));
    }
    return in;
  }
}
