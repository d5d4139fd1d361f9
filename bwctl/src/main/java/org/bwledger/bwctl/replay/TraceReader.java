package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Splits a kubectl watch trace ({@code kubectl get … --watch --output-watch-events -o json}) into
 * its JSON values: concatenated objects, each pretty-printed over many lines or on one line. Of
 * each value only the selected fields are built ({@link FieldSelection}); the rest is only checked
 * to be JSON. A value that is not valid JSON, or not a watch event, is reported with its lines and
 * skipped; the next value starts at the next line that opens an object at column 0.
 */
public final class TraceReader {

  /** Receives what the trace holds, in order. */
  public interface Listener {

    /**
     * A watch event: {@code type} is ADDED, MODIFIED, DELETED (or BOOKMARK, ERROR). {@code observedAt}
     * is when {@code bwctl record} saw it, or null in a kubectl trace, which has no such time.
     */
    void event(String type, JsonNode object, String observedAt, String position);

    /** Something that was skipped, and why. */
    void skipped(String position, String reason);
  }

  private final ObjectMapper json;
  private final FieldSelection read;

  /** @param read what of each watch event to build; the rest is only checked to be JSON */
  public TraceReader(ObjectMapper json, FieldSelection read) {
    this.json = json;
    this.read = read;
  }

  /** A reader that builds every watch event whole, for tools that look at or write out all of it. */
  public static TraceReader whole(ObjectMapper json) {
    return new TraceReader(json, FieldSelection.of("type", "observedAt", "object"));
  }

  /** Reads the whole trace, telling {@code listener} of every value in order. */
  public void read(BufferedReader in, Listener listener) throws IOException {
    StringBuilder value = new StringBuilder();
    ValueScanner scanner = new ValueScanner();
    int firstLine = 0;
    int lineNumber = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNumber++;
      if (value.length() > 0 && line.startsWith("{")) {
        listener.skipped(position(firstLine, lineNumber - 1), "incomplete JSON object");
        value.setLength(0);
        scanner = new ValueScanner();
      }
      if (value.length() == 0) {
        if (line.isBlank()) {
          continue;
        }
        if (!line.stripLeading().startsWith("{")) {
          listener.skipped(position(lineNumber, lineNumber), "not a JSON object");
          continue;
        }
        firstLine = lineNumber;
      }
      value.append(line).append('\n');
      if (scanner.closes(line)) {
        parse(value.toString(), position(firstLine, lineNumber), listener);
        value.setLength(0);
        scanner = new ValueScanner();
      }
    }
    if (value.length() > 0) {
      listener.skipped(position(firstLine, lineNumber), "incomplete JSON object at end of trace");
    }
  }

  private void parse(String text, String position, Listener listener) {
    JsonNode node;
    try (JsonParser parser = json.createParser(text)) {
      parser.nextToken();
      node = read.read(parser, json);
    } catch (JsonProcessingException e) {
      listener.skipped(position, "invalid JSON: " + e.getOriginalMessage());
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string has nothing else to fail on
    }
    JsonNode type = node.get("type");
    JsonNode object = node.get("object");
    if (type == null || !type.isTextual() || object == null || !object.isObject()) {
      listener.skipped(position, "not a watch event (expected {\"type\": …, \"object\": {…}})");
      return;
    }
    JsonNode observedAt = node.get("observedAt");
    listener.event(type.asText(), object, observedAt != null && observedAt.isTextual() ? observedAt.asText() : null,
        position);
  }

  private static String position(int first, int last) {
    return first == last ? "line " + first : "lines " + first + "-" + last;
  }

  /** Tracks brace depth across lines, outside strings, to find where a top-level object ends. */
  private static final class ValueScanner {
    private int depth;
    private boolean inString;
    private boolean escaped;

    boolean closes(String line) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
        }
      }
      return depth <= 0 && !inString;
    }
  }
}
