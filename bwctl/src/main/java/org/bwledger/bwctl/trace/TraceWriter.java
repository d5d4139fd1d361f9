package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** Writes the watch events of a trace the tools make: one a line, with its recorded time when it had one. */
final class TraceWriter {

  private final ObjectMapper json;
  private final Writer out;
  private long written;

  TraceWriter(ObjectMapper json, Writer out) {
    this.json = json;
    this.out = out;
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
}
