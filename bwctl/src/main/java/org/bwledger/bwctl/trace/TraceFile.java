package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bwledger.bwctl.replay.TraceInput;
import org.bwledger.bwctl.replay.TraceReader;
import picocli.CommandLine.Parameters;

/** The trace a trace tool reads, as its one parameter: a file, read whole, event by event. */
final class TraceFile {

  @Parameters(paramLabel = "TRACE", description = "The trace file.")
  Path path;

  /** Whether the trace can be read; if not, having said why on {@code err}. */
  boolean readable(PrintWriter err) {
    Optional<String> unreadable = TraceInput.unreadable(path);
    unreadable.ifPresent(err::println);
    return unreadable.isEmpty();
  }

  /**
   * Tells {@code listener} of every value of the trace, in order.
   *
   * @return false, having said so on {@code err}, when the trace cannot be read
   */
  boolean read(ObjectMapper json, TraceReader.Listener listener, PrintWriter err) throws IOException {
    if (!readable(err)) {
      return false;
    }
    try (BufferedReader in = Files.newBufferedReader(path)) {
      TraceReader.whole(json).read(in, listener);
    }
    return true;
  }
}
