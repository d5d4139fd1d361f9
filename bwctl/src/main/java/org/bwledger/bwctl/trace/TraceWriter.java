package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the watch events of a trace the tools make: one a line, with its recorded time when it had one. */
final class TraceWriter implements AutoCloseable {

  private final ObjectMapper json;
  private final Writer out;
  private final boolean owned;
  private long written;

  private TraceWriter(ObjectMapper json, Writer out, boolean owned) {
    this.json = json;
    this.out = out;
    this.owned = owned;
  }

  /** A writer to {@code file}, or to {@code standardOutput} when it is null. */
  static TraceWriter to(Path file, Writer standardOutput, ObjectMapper json) throws IOException {
    return file == null ? new TraceWriter(json, standardOutput, false)
        : new TraceWriter(json, Files.newBufferedWriter(file, StandardCharsets.UTF_8), true);
  }

  /** A watch event of {@code object}; {@code observedAt} null for one kubectl recorded, without a time. */
  ObjectNode event(String type, JsonNode object, String observedAt) {
    ObjectNode event = json.createObjectNode().put("type", type);
    if (observedAt != null) {
      event.put("observedAt", observedAt);
    }
    event.set("object", object);
    return event;
  }

  void write(ObjectNode event) {
    try {
      out.write(json.writeValueAsString(event));
      out.write('\n');
      written++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Events written so far. */
  long written() {
    return written;
  }

  /** Flushes what was written; closes the file it opened, never standard output. */
  @Override
  public void close() throws IOException {
    out.flush();
    if (owned) {
      out.close();
    }
  }
}
