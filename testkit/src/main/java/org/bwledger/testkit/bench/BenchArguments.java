package org.bwledger.testkit.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's command line, read the same way by every benchmark: positional arguments, then
 * Kafka Streams settings, each an argument of its own ({@code commit.interval.ms=30}).
 *
 * @param positional the arguments without an {@code =}, in order
 * @param streamsSettings the {@code key=value} arguments, in order
 */
public record BenchArguments(List<String> positional, Map<String, String> streamsSettings) {

  /** Splits {@code args} into positional arguments and settings. */
  public static BenchArguments parse(String... args) {
    List<String> positional = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 0) {
        positional.add(arg);
      } else {
        settings.put(arg.substring(0, equals).trim(), arg.substring(equals + 1).trim());
      }
    }
    return new BenchArguments(List.copyOf(positional), Collections.unmodifiableMap(settings));
  }

  /** The positional argument at {@code index}, or {@code otherwise} when there are fewer. */
  public String at(int index, String otherwise) {
    return index < positional.size() ? positional.get(index) : otherwise;
  }

  /** The positional argument at {@code index} as milliseconds, comma-separated; {@code otherwise} alone when absent. */
  public List<Duration> millis(int index, Duration otherwise) {
    return index < positional.size()
        ? Arrays.stream(positional.get(index).split(",")).map(ms -> Duration.ofMillis(Long.parseLong(ms))).toList()
        : List.of(otherwise);
  }
}
