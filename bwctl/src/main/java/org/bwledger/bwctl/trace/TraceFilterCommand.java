package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.options.LabelSelector;
import org.bwledger.bwctl.replay.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl trace filter TRACE --namespace NS --selector SELECTOR}: the trace with only the pods
 * selected, the way a watch with those filters would have seen them: a pod whose labels come to match
 * appears as ADDED, one whose labels stop matching leaves as DELETED. Nodes and Bandwidth objects are
 * kept whole: they are the capacity every pod is counted against.
 */
@Command(
    name = "filter",
    mixinStandardHelpOptions = true,
    description = "Writes the trace with only the pods of the given namespaces and labels, as a watch with those "
        + "filters would have recorded them; nodes and Bandwidth objects are kept. One watch event a line.")
final class TraceFilterCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private TraceFile trace;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Keep the pods of this namespace; repeatable (default: every namespace).")
  private Set<String> namespaces = new LinkedHashSet<>();

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", converter = LabelSelector.Converter.class,
      description = "Keep the pods whose labels match, as kubectl -l: app=web,tier!=db,zone in (a,b),gpu,!canary.")
  private LabelSelector selector = LabelSelector.parse("");

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here rather than to standard output.")
  private Path output;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (!trace.readable(err)) {
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    Filter filter;
    try (TraceWriter out = TraceWriter.to(output, spec.commandLine().getOut(), json)) {
      filter = new Filter(out, err);
      trace.read(json, filter, err);
    }
    err.printf("kept %d events of %d%n", filter.out.written(), filter.read);
    err.flush();
    return 0;
  }

  /** Passes on what is kept, turning pods that come into or leave the selection into ADDED and DELETED. */
  private final class Filter implements TraceReader.Listener {
    private final TraceWriter out;
    private final PrintWriter err;
    private final Set<String> selected = new HashSet<>();
    private long read;

    Filter(TraceWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public void event(String type, JsonNode object, String observedAt, String position) {
      read++;
      if (!object.path("kind").asText().equals("Pod")) {
        out.write(out.event(type, object, observedAt));
        return;
      }
      String key = TraceObjects.key(object);
      boolean was = selected.contains(key);
      boolean is = !type.equals("DELETED") && selects(object);
      if (is) {
        selected.add(key);
        out.write(out.event(was ? type : "ADDED", object, observedAt));
      } else if (was) {
        selected.remove(key);
        out.write(out.event("DELETED", object, observedAt));
      }
    }

    private boolean selects(JsonNode pod) {
      JsonNode metadata = pod.path("metadata");
      if (!namespaces.isEmpty() && !namespaces.contains(metadata.path("namespace").asText())) {
        return false;
      }
      Map<String, String> labels = new HashMap<>();
      metadata.path("labels").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
      return selector.matches(labels);
    }

    @Override
    public void skipped(String position, String reason) {
      err.println("skipped " + position + ": " + reason);
    }
  }
}
