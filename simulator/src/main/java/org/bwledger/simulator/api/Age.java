package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** An object's age as kubectl prints it ({@code 45s}, {@code 3m12s}, {@code 5h}, {@code 2d3h}). */
final class Age {

  private Age() {}

  /** The age of a timestamp in {@code metadata.creationTimestamp}'s format, or {@code <unknown>}. */
  static String since(JsonNode timestamp, Instant now) {
    if (!timestamp.isTextual()) {
      return "<unknown>";
    }
    try {
      return of(Duration.between(Instant.parse(timestamp.asText()), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** Kubernetes' human duration: coarser as it grows, two units at most. */
  static String of(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (hours < 24 * 8) {
      return hours % 24 == 0 ? days + "d" : days + "d" + hours % 24 + "h";
    }
    if (hours < 24 * 365 * 2) {
      return days + "d";
    }
    long years = days / 365;
    if (hours < 24 * 365 * 8) {
      return days % 365 == 0 ? years + "y" : years + "y" + days % 365 + "d";
    }
    return years + "y";
  }
}
