package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.replay.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl trace validate TRACE}: what in a trace replay would skip or take on trust, each with
 * its line numbers.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Checks a trace and reports, with line numbers: values that are not watch events, event types "
        + "and kinds replay does not take, an object's resourceVersion going back, deletes of objects the trace "
        + "never showed, observed times going back, and pods on nodes the trace does not hold.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:no problem", "1:problems, listed on standard output", "2:no such trace"})
final class TraceValidateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private TraceFile trace;

  @Override
  public Integer call() throws IOException {
    Check check = new Check();
    if (!trace.read(new ObjectMapper(), check, spec.commandLine().getErr())) {
      return 2;
    }
    PrintWriter out = spec.commandLine().getOut();
    check.problems.forEach(out::println);
    out.printf("%d events, %d problems%n", check.events, check.problems.size());
    out.flush();
    return check.problems.isEmpty() ? 0 : 1;
  }

  /** Follows the objects a trace shows, noting what does not add up. */
  private static final class Check implements TraceReader.Listener {
    private static final Set<String> TYPES = Set.of("ADDED", "MODIFIED", "DELETED", "BOOKMARK");
    private static final Set<String> KINDS = Set.of("Pod", "Node", "Bandwidth");

    private final List<String> problems = new ArrayList<>();
    private final Map<String, Long> resourceVersions = new HashMap<>();
    private final Set<String> live = new HashSet<>();
    private final Set<String> nodes = new HashSet<>();
    private final Set<String> strayPods = new HashSet<>();
    private Instant lastObserved;
    private int events;

    @Override
    public void event(String type, JsonNode object, String observedAt, String position) {
      events++;
      if (!TYPES.contains(type)) {
        problems.add(position + ": event type " + type + " (replay takes ADDED, MODIFIED, DELETED, BOOKMARK)");
        return;
      }
      if (type.equals("BOOKMARK")) {
        return;
      }
      String kind = object.path("kind").asText("");
      String key = TraceObjects.key(object);
      if (!KINDS.contains(kind)) {
        problems.add(position + ": " + key + " is of a kind replay does not take (Pod, Node, Bandwidth)");
        return;
      }
      observed(observedAt, position);
      String version = object.path("metadata").path("resourceVersion").asText("");
      if (version.matches("\\d{1,18}")) {
        Long before = resourceVersions.put(key, Long.parseLong(version));
        if (before != null && before > Long.parseLong(version)) {
          problems.add(position + ": " + key + " at resourceVersion " + version + " after " + before
              + ": out of order");
        }
      }
      if (type.equals("DELETED")) {
        if (!live.remove(key)) {
          problems.add(position + ": deletes " + key + ", which the trace did not show before");
        }
        if (kind.equals("Node")) {
          nodes.remove(object.path("metadata").path("name").asText());
        }
        return;
      }
      live.add(key);
      if (kind.equals("Node")) {
        nodes.add(object.path("metadata").path("name").asText());
      }
      String node = object.path("spec").path("nodeName").asText("");
      if (kind.equals("Pod") && !node.isEmpty() && !nodes.contains(node) && strayPods.add(key + " " + node)) {
        problems.add(position + ": " + key + " is on node " + node + ", which the trace does not hold then");
      }
    }

    private void observed(String observedAt, String position) {
      if (observedAt == null) {
        return;
      }
      try {
        Instant at = Instant.parse(observedAt);
        if (lastObserved != null && at.isBefore(lastObserved)) {
          problems.add(position + ": observed at " + at + ", before the event ahead of it (" + lastObserved + ")");
        }
        lastObserved = lastObserved == null || at.isAfter(lastObserved) ? at : lastObserved;
      } catch (DateTimeParseException e) {
        problems.add(position + ": observedAt '" + observedAt + "' is not an ISO-8601 instant");
      }
    }

    @Override
    public void skipped(String position, String reason) {
      problems.add(position + ": " + reason);
    }
  }
}
