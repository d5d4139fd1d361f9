package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;

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
  private final ObjectReader trees;
  private final FieldSelection read;

  /** @param read what of each watch event to build; the rest is only checked to be JSON */
  public TraceReader(ObjectMapper json, FieldSelection read) {
    this.json = json;
    this.trees = json.readerFor(JsonNode.class);
    this.read = read;
  }

  /** A reader that builds every watch event whole, for tools that look at or write out all of it. */
  public static TraceReader whole(ObjectMapper json) {
    return new TraceReader(json, FieldSelection.of("type", "observedAt", "object"));
  }

  /**
   * Reads the whole trace, telling {@code listener} of every value in order. Each value is gathered
   * in one buffer reused from value to value and parsed from there, with no string made of each line.
   */
  public void read(Reader in, Listener listener) throws IOException {
    Lines lines = new Lines(in);
    Chars value = new Chars();
    ValueScanner scanner = new ValueScanner();
    int firstLine = 0;
    int lineNumber = 0;
    while (lines.next()) {
      lineNumber++;
      char[] line = lines.line.chars;
      int length = lines.line.length;
      if (value.length > 0 && length > 0 && line[0] == '{') {
        listener.skipped(position(firstLine, lineNumber - 1), "incomplete JSON object");
        value.length = 0;
        scanner = new ValueScanner();
      }
      if (value.length == 0) {
        int first = firstNonBlank(line, length);
        if (first == length) {
          continue;
        }
        if (line[first] != '{') {
          listener.skipped(position(lineNumber, lineNumber), "not a JSON object");
          continue;
        }
        firstLine = lineNumber;
      }
      value.append(line, length);
      value.append('\n');
      if (scanner.closes(line, length)) {
        parse(value, position(firstLine, lineNumber), listener);
        value.length = 0;
        scanner = new ValueScanner();
      }
    }
    if (value.length > 0) {
      listener.skipped(position(firstLine, lineNumber), "incomplete JSON object at end of trace");
    }
  }

  private void parse(Chars text, String position, Listener listener) {
    JsonNode node;
    try (JsonParser parser = json.createParser(text.chars, 0, text.length)) {
      parser.nextToken();
      node = read.read(parser, trees);
    } catch (JsonProcessingException e) {
      listener.skipped(position, "invalid JSON: " + e.getOriginalMessage());
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // characters in memory have nothing else to fail on
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

  /** Where the first character that is not white space is, or {@code length} if none. */
  private static int firstNonBlank(char[] line, int length) {
    int i = 0;
    while (i < length && Character.isWhitespace(line[i])) {
      i++;
    }
    return i;
  }

  private static String position(int first, int last) {
    return first == last ? "line " + first : "lines " + first + "-" + last;
  }

  /** Tracks brace depth across lines, outside strings, to find where a top-level object ends. */
  private static final class ValueScanner {
    private int depth;
    private boolean inString;
    private boolean escaped;

    /** Whether the value closes on this line; the state is kept in locals while the line is scanned. */
    boolean closes(char[] line, int length) {
      int depth = this.depth;
      boolean inString = this.inString;
      boolean escaped = this.escaped;
      for (int i = 0; i < length; i++) {
        char c = line[i];
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
      this.depth = depth;
      this.inString = inString;
      this.escaped = escaped;
      return depth <= 0 && !inString;
    }
  }

  /** A growable run of characters, reused from value to value. */
  private static final class Chars {
    private char[] chars = new char[8_192];
    private int length;

    void append(char[] from, int count) {
      ensure(length + count);
      System.arraycopy(from, 0, chars, length, count);
      length += count;
    }

    void append(char c) {
      ensure(length + 1);
      chars[length++] = c;
    }

    private void ensure(int capacity) {
      if (capacity > chars.length) {
        chars = Arrays.copyOf(chars, Math.max(capacity, chars.length * 2));
      }
    }
  }

  /**
   * The lines of a stream, each without its end ({@code \n} or {@code \r\n}), in one buffer reused
   * from line to line.
   */
  private static final class Lines {
    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private final Chars line = new Chars();

    Lines(Reader in) {
      this.in = in;
    }

    /** Reads the next line into {@link #line}; false at the end of the stream. */
    boolean next() throws IOException {
      line.length = 0;
      boolean any = false;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return any;
          }
        }
        any = true;
        char[] chars = buffer;
        int end = position;
        int last = limit;
        while (end < last && chars[end] != '\n') {
          end++;
        }
        appendLine(position, end);
        if (end < limit) {
          position = end + 1;
          if (line.length > 0 && line.chars[line.length - 1] == '\r') {
            line.length--;
          }
          return true;
        }
        position = limit;
      }
    }

    private void appendLine(int from, int to) {
      line.ensure(line.length + to - from);
      System.arraycopy(buffer, from, line.chars, line.length, to - from);
      line.length += to - from;
    }
  }
}
