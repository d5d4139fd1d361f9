package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.bwctl.replay.TraceClock;
import org.bwledger.bwctl.replay.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl trace cut TRACE --from T1 --to T2}: a smaller trace that replays to the same books
 * over the window. It opens with every object the trace held at {@code T1}, as an ADDED event of its
 * last version then (the way a watch opens), followed by the events of the window.
 */
@Command(
    name = "cut",
    mixinStandardHelpOptions = true,
    description = "Writes the part of a trace between two times (by replay's dates), opening with every object "
        + "that stood at the start as ADDED, so that replaying the cut gives the books the whole trace gives "
        + "in the window. One watch event a line.")
final class TraceCutCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private TraceFile trace;

  @Option(names = "--from", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Start of the window, ISO-8601 (default: the trace's start).")
  private Instant from;

  @Option(names = "--to", paramLabel = "TIME", converter = InstantConverter.class,
      description = "End of the window, ISO-8601 (default: the trace's end).")
  private Instant to;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here rather than to standard output.")
  private Path output;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (from != null && to != null && from.isAfter(to)) {
      err.println("--from " + from + " is after --to " + to);
      return 2;
    }
    if (!trace.readable(err)) {
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    Cut cut;
    try (TraceWriter out = TraceWriter.to(output, spec.commandLine().getOut(), json)) {
      cut = new Cut(out, err);
      trace.read(json, cut, err);
      cut.open(); // a window that starts after the last event still holds what stood
    }
    err.printf("cut %d events of %d%n", cut.out.written(), cut.read);
    err.flush();
    return 0;
  }

  /** Holds what stands until the window opens, then writes the window's events. */
  private final class Cut implements TraceReader.Listener {
    private final TraceWriter out;
    private final PrintWriter err;
    private final TraceClock clock = new TraceClock();
    private final Map<String, ObjectNode> standing = new TreeMap<>();
    private boolean opened;
    private long read;

    Cut(TraceWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public void event(String type, JsonNode object, String observedAt, String position) {
      read++;
      Instant at;
      try {
        at = clock.next(object, observedAt);
      } catch (IllegalArgumentException e) {
        err.println("skipped " + position + ": " + e.getMessage());
        return;
      }
      if (to != null && at.isAfter(to)) {
        return;
      }
      if (from != null && at.isBefore(from)) {
        String key = TraceObjects.key(object);
        if (type.equals("DELETED")) {
          standing.remove(key);
        } else if (!type.equals("BOOKMARK")) {
          standing.put(key, out.event("ADDED", object, observedAt == null ? null : from.toString()));
        }
        return;
      }
      open();
      out.write(out.event(type, object, observedAt));
    }

    /** Writes what stood when the window opened, once. */
    void open() {
      if (!opened) {
        opened = true;
        standing.values().forEach(out::write);
        standing.clear();
      }
    }

    @Override
    public void skipped(String position, String reason) {
      err.println("skipped " + position + ": " + reason);
    }
  }
}
