package org.bwledger.ingest.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.schemas.event.InterfaceCounters;

/**
 * The network byte counters in node-exporter's text exposition: each device's
 * {@code node_network_transmit_bytes_total} and {@code node_network_receive_bytes_total}. The
 * exposition writes counters as floats ({@code 4.47760639e+08}); a double holds every byte count
 * below 9 PB exactly.
 */
final class NodeExporterMetrics {

  private static final Pattern COUNTER = Pattern.compile(
      "^node_network_(transmit|receive)_bytes_total\\{([^}]*)}\\s+(\\S+)");
  private static final Pattern DEVICE = Pattern.compile("(?:^|,)\\s*device=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private NodeExporterMetrics() {}

  /**
   * The counters of the devices {@code counted} accepts, sorted by device; a device missing one of
   * its two counters is left out.
   *
   * @throws IllegalArgumentException when a counter's value is not a number
   */
  static List<InterfaceCounters> interfaces(String exposition, Predicate<String> counted) {
    Map<String, long[]> devices = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher counter = COUNTER.matcher(line);
      if (!counter.find()) {
        continue;
      }
      Matcher device = DEVICE.matcher(counter.group(2));
      String name = device.find() ? unescaped(device.group(1)) : null;
      if (name == null || !counted.test(name)) {
        continue;
      }
      long bytes = bytes(counter.group(3), line);
      long[] both = devices.computeIfAbsent(name, d -> new long[] {-1, -1});
      both[counter.group(1).equals("transmit") ? 0 : 1] = bytes;
    }
    List<InterfaceCounters> interfaces = new ArrayList<>();
    devices.forEach((name, both) -> {
      if (both[0] >= 0 && both[1] >= 0) {
        interfaces.add(new InterfaceCounters(name, both[0], both[1]));
      }
    });
    return interfaces;
  }

  /** A label value as the exposition escapes it: backslash, double quote and line feed. */
  private static String unescaped(String value) {
    return value.indexOf('\\') < 0 ? value
        : value.replace("\\\\", "\u0000").replace("\\\"", "\"").replace("\\n", "\n").replace("\u0000", "\\");
  }

  private static long bytes(String value, String line) {
    try {
      double bytes = Double.parseDouble(value);
      if (!(bytes >= 0) || Double.isInfinite(bytes)) {
        throw new IllegalArgumentException("a byte counter of " + value + " in: " + line);
      }
      return (long) bytes;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a byte counter that is not a number in: " + line, e);
    }
  }
}
