package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl trace import FILE}: another tool's recording as a trace replay reads. The one format
 * taken is the kube-scheduler-simulator recorder's: a JSON record a line (or a JSON array of them),
 * {@code {"time": RFC 3339, "event": "Add"|"Update"|"Delete", "resource": the object}}, where a
 * deletion carries only the object's kind, name and namespace.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Converts a recording of another tool to a trace bwctl replays: kube-scheduler-simulator's "
        + "recorder ({\"time\", \"event\": Add|Update|Delete, \"resource\"} records). Pods, nodes and Bandwidth "
        + "objects are kept; other kinds are counted on standard error and left out. One watch event a line.")
final class TraceImportCommand implements Callable<Integer> {

  private static final Set<String> KINDS = Set.of("Pod", "Node", "Bandwidth");
  private static final Map<String, String> TYPES = Map.of("Add", "ADDED", "Update", "MODIFIED", "Delete", "DELETED");

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "RECORDING", description = "The recording: kube-scheduler-simulator's record file.")
  private Path recording;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here rather than to standard output.")
  private Path output;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(recording)) {
      err.println("no recording at " + recording);
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    Conversion conversion;
    try (TraceWriter out = TraceWriter.to(output, spec.commandLine().getOut(), json);
         JsonParser parser = json.createParser(recording.toFile())) {
      conversion = new Conversion(out, err);
      boolean array = parser.nextToken() == JsonToken.START_ARRAY;
      if (array) {
        parser.nextToken();
      }
      for (long record = 1; parser.currentToken() != null && parser.currentToken() != JsonToken.END_ARRAY; record++) {
        conversion.record(json.readTree(parser), record);
        parser.nextToken();
      }
    } catch (JsonProcessingException e) {
      err.println("the recording " + recording + " stops being JSON"
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
      return 1;
    }
    err.printf("imported %d events of %d records%n", conversion.out.written(), conversion.records);
    conversion.leftOut.forEach((kind, count) -> err.printf("left out %d records of kind %s%n", count, kind));
    err.flush();
    return conversion.problems == 0 ? 0 : 3;
  }

  /** Turns each record into a watch event, a deletion into one of the object as last seen. */
  private static final class Conversion {
    private final TraceWriter out;
    private final PrintWriter err;
    private final Map<String, JsonNode> lastSeen = new HashMap<>();
    private final Map<String, Integer> leftOut = new TreeMap<>();
    private long records;
    private long problems;

    Conversion(TraceWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    void record(JsonNode record, long number) {
      records++;
      JsonNode resource = record.path("resource");
      String kind = resource.path("kind").asText("");
      String type = TYPES.get(record.path("event").asText());
      if (!KINDS.contains(kind)) {
        leftOut.merge(kind.isEmpty() ? "(none)" : kind, 1, Integer::sum);
        return;
      }
      String at;
      try {
        at = OffsetDateTime.parse(record.path("time").asText()).toInstant().toString();
      } catch (DateTimeParseException e) {
        problem(number, "time '" + record.path("time").asText() + "' is not an RFC 3339 time");
        return;
      }
      if (type == null) {
        problem(number, "event '" + record.path("event").asText() + "' is none of Add, Update, Delete");
        return;
      }
      String key = TraceObjects.key(resource);
      JsonNode object = resource;
      if (type.equals("DELETED")) {
        object = lastSeen.remove(key); // the record names the object; the watch event carries it whole
        if (object == null) {
          problem(number, "deletes " + key + ", which the recording did not show before");
          return;
        }
      } else {
        lastSeen.put(key, resource);
      }
      out.write(out.event(type, object, at));
    }

    private void problem(long number, String what) {
      problems++;
      err.println("skipped record " + number + ": " + what);
    }
  }
}
