package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.replay.TraceClock;
import org.bwledger.bwctl.replay.TraceReader;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bwctl trace stats TRACE}: what a trace holds, in a few lines. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Summarises a trace: its span and event rate (by replay's dates), events by type, and the nodes, "
        + "pods and workloads it shows, with how many pods carry each bandwidth annotation.")
final class TraceStatsCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private TraceFile trace;

  @Override
  public Integer call() throws IOException {
    Tally tally = new Tally();
    if (!trace.read(new ObjectMapper(), tally, spec.commandLine().getErr())) {
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    long events = tally.byType.values().stream().mapToLong(Long::longValue).sum();
    Duration span = tally.first == null ? Duration.ZERO : Duration.between(tally.first, tally.last);
    out.printf("events      %d %s%n", events, tally.byType);
    out.printf("skipped     %d%n", tally.skipped);
    out.printf("span        %s to %s (%s)%n", tally.first, tally.last, span);
    out.printf("rate        %s events/s%n", span.isZero() ? "-"
        : String.format(Locale.ROOT, "%.2f", events * 1000.0 / span.toMillis()));
    out.printf("nodes       %d%n", tally.nodes.size());
    out.printf("pods        %d%n", tally.pods.size());
    out.printf("workloads   %d%n", tally.workloads.size());
    tally.annotated.forEach((key, pods) -> out.printf("annotation  %s on %d pods%n", key, pods.size()));
    out.flush();
    return 0;
  }

  /** Counts as the trace goes by. */
  private static final class Tally implements TraceReader.Listener {
    private final TraceClock clock = new TraceClock();
    private final Map<String, Long> byType = new TreeMap<>();
    private final Set<String> nodes = new HashSet<>();
    private final Set<String> pods = new HashSet<>();
    private final Set<String> workloads = new HashSet<>();
    private final Map<String, Set<String>> annotated = new TreeMap<>();
    private Instant first;
    private Instant last;
    private long skipped;

    Tally() {
      AnnotationKeys.DEFAULT.all().map(AnnotationKey::name).forEach(key -> annotated.put(key, new HashSet<>()));
    }

    @Override
    public void event(String type, JsonNode object, String observedAt, String position) {
      byType.merge(type, 1L, Long::sum);
      try {
        Instant at = clock.next(object, observedAt);
        first = first == null ? at : first;
        last = at;
      } catch (IllegalArgumentException e) {
        skipped++;
      }
      String key = TraceObjects.key(object);
      switch (object.path("kind").asText("")) {
        case "Node" -> nodes.add(key);
        case "Pod" -> {
          pods.add(key);
          for (JsonNode owner : object.path("metadata").path("ownerReferences")) {
            if (owner.path("controller").asBoolean()) {
              workloads.add(object.path("metadata").path("namespace").asText() + "/" + owner.path("kind").asText()
                  + "/" + owner.path("name").asText());
            }
          }
          object.path("metadata").path("annotations").fieldNames().forEachRemaining(annotation -> {
            Set<String> carrying = annotated.get(annotation);
            if (carrying != null) {
              carrying.add(key);
            }
          });
        }
        default -> { }
      }
    }

    @Override
    public void skipped(String position, String reason) {
      skipped++;
    }
  }
}
