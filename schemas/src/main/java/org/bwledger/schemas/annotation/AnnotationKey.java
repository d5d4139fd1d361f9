package org.bwledger.schemas.annotation;

import java.util.Locale;
import java.util.Objects;

/**
 * A pod annotation that declares bandwidth, with the format of its value.
 *
 * @param name the annotation key, e.g. {@code kubernetes.io/egress-bandwidth}
 * @param format how its value is written
 */
public record AnnotationKey(String name, Format format) {

  /** How an annotation writes bandwidth. */
  public enum Format {
    /** A Kubernetes quantity in bit/s, valid in [1k, 1P] (what containerd and CRI-O accept). */
    QUANTITY,
    /** A plain non-negative number of Mbit/s (KubeOVN). */
    MBPS
  }

  public AnnotationKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(format, "format");
    if (name.isBlank()) {
      throw new IllegalArgumentException("annotation key must not be blank");
    }
  }

  /**
   * Parses {@code name=format} (format {@code quantity} or {@code mbps}); a bare name is a quantity.
   *
   * @throws IllegalArgumentException when the format is unknown
   */
  public static AnnotationKey parse(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq < 0) {
      return new AnnotationKey(spec.trim(), Format.QUANTITY);
    }
    String format = spec.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
    try {
      return new AnnotationKey(spec.substring(0, eq).trim(), Format.valueOf(format));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown annotation format in '" + spec + "': expected quantity or mbps", e);
    }
  }

  @Override
  public String toString() {
    return name + "=" + format.name().toLowerCase(Locale.ROOT);
  }
}
