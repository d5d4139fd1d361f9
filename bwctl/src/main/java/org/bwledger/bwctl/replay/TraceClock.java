package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeParseException;

/**
 * When each watch event of a trace happened, as replay dates it: the time {@code bwctl record} noted
 * ({@code observedAt}), or in a kubectl trace, which notes none, the latest time the object carries
 * (creation, managed-field updates, deletion). No event is dated earlier than the one before it, and
 * the same trace always gives the same dates.
 */
public final class TraceClock {

  private Instant clock = Instant.EPOCH;

  /**
   * The date of the next event.
   *
   * @param recordedAt the event's {@code observedAt}, or null in a kubectl trace
   * @throws IllegalArgumentException when {@code recordedAt} is not an ISO-8601 instant
   */
  public Instant next(JsonNode object, String recordedAt) {
    if (recordedAt != null) {
      try {
        Instant at = instant(recordedAt);
        clock = at.isAfter(clock) ? at : clock;
        return clock;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("observedAt '" + recordedAt + "' is not an ISO-8601 instant");
      }
    }
    JsonNode metadata = object.path("metadata");
    Instant latest = later(clock, metadata.path("creationTimestamp"));
    latest = later(latest, metadata.path("deletionTimestamp"));
    for (JsonNode field : metadata.path("managedFields")) {
      latest = later(latest, field.path("time"));
    }
    clock = latest;
    return latest;
  }

  /**
   * {@code text} as an instant, as {@link Instant#parse} reads it. Kubernetes writes its times to the
   * second in UTC ({@code 2026-11-20T09:00:07Z}); those are read here digit by digit, since parsing
   * with the general formatter took a tenth of a trace's replay. Any other form goes to the formatter.
   *
   * @throws DateTimeParseException as {@link Instant#parse} does
   */
  static Instant instant(String text) {
    if (text.length() == 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
        && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == 'Z') {
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 2);
      int day = digits(text, 8, 2);
      int hour = digits(text, 11, 2);
      int minute = digits(text, 14, 2);
      int second = digits(text, 17, 2);
      if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60
          && second >= 0 && second < 60 && day <= Month.of(month).length(Year.isLeap(year))) {
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second);
      }
    }
    return Instant.parse(text);
  }

  /** The number the {@code count} digits at {@code from} write, or -1 if one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static Instant later(Instant current, JsonNode time) {
    if (!time.isTextual()) {
      return current;
    }
    try {
      Instant at = instant(time.asText());
      return at.isAfter(current) ? at : current;
    } catch (DateTimeParseException e) {
      return current;
    }
  }
}
