package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
        Instant at = Instant.parse(recordedAt);
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

  private static Instant later(Instant current, JsonNode time) {
    if (!time.isTextual()) {
      return current;
    }
    try {
      Instant at = Instant.parse(time.asText());
      return at.isAfter(current) ? at : current;
    } catch (DateTimeParseException e) {
      return current;
    }
  }
}
