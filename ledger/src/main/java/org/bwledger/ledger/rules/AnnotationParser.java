package org.bwledger.ledger.rules;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;

/**
 * Turns a pod's raw bandwidth annotations into a {@link BandwidthRequest} (DESIGN §4.1).
 *
 * <p>A quantity is parsed with the Kubernetes quantity grammar (fabric8's {@link Quantity}) and,
 * like containerd and CRI-O do, rounded up to whole bit/s and accepted only in [1k, 1P]; a value a
 * runtime would refuse is a pod that never starts, so it is reported, not guessed at. A Mbit/s value
 * is a plain non-negative decimal number. Reservations count {@code ceil(bit/s / 1,000,000)} Mbit/s.
 */
public final class AnnotationParser {

  private static final BigDecimal MIN_BITS = BigDecimal.valueOf(1_000);
  private static final BigDecimal MAX_BITS = BigDecimal.valueOf(1_000_000_000_000_000L);
  private static final BigDecimal BITS_PER_MBIT = BigDecimal.valueOf(1_000_000);
  private static final Pattern PLAIN_NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");
  static final int REMEMBERED = 4_096;

  private final AnnotationKeys keys;
  /**
   * Requests already parsed, by the annotations that decide them. Pods of a workload carry the same
   * few values and the fold reads a pod's each time it changes; a flood of distinct values only
   * costs parsing again.
   */
  private final Map<Asked, BandwidthRequest> parsed = new ConcurrentHashMap<>();

  public AnnotationParser(AnnotationKeys keys) {
    this.keys = keys;
  }

  /** The request the annotations make; {@link BandwidthRequest#NONE} when none is present. */
  public BandwidthRequest parse(Map<String, String> annotations) {
    Asked asked = new Asked(first(keys.egress(), annotations), first(keys.ingress(), annotations));
    if (asked.egress() == null && asked.ingress() == null) {
      return BandwidthRequest.NONE;
    }
    BandwidthRequest known = parsed.get(asked);
    if (known != null) {
      return known;
    }
    BandwidthRequest request = parseAnew(asked);
    if (parsed.size() >= REMEMBERED) {
      parsed.clear();
    }
    parsed.put(asked, request);
    return request;
  }

  /** How many sets of annotations it remembers the request of: never more than {@value #REMEMBERED}. */
  int remembered() {
    return parsed.size();
  }

  private static BandwidthRequest parseAnew(Asked asked) {
    Optional<Direction> egress = Optional.ofNullable(asked.egress()).map(Annotation::parse);
    Optional<Direction> ingress = Optional.ofNullable(asked.ingress()).map(Annotation::parse);
    List<String> problems = new ArrayList<>(2);
    egress.map(Direction::problem).ifPresent(problems::add);
    ingress.map(Direction::problem).ifPresent(problems::add);
    problems.removeIf(p -> p == null);
    if (!problems.isEmpty()) {
      return BandwidthRequest.invalid(String.join("; ", problems));
    }
    return BandwidthRequest.valid(
        egress.map(Direction::mbps).orElse(0L), ingress.map(Direction::mbps).orElse(0L));
  }

  /** The first of {@code keys} the pod carries, with its value; null when it carries none. */
  private static Annotation first(List<AnnotationKey> keys, Map<String, String> annotations) {
    for (AnnotationKey key : keys) {
      String value = annotations.get(key.name());
      if (value != null) {
        return new Annotation(key, value);
      }
    }
    return null;
  }

  /** The annotations a request is parsed from, one direction each (null where absent). */
  private record Asked(Annotation egress, Annotation ingress) {}

  /** One annotation the pod carries, under the configured key it matched. */
  private record Annotation(AnnotationKey key, String value) {

    Direction parse() {
      return switch (key.format()) {
        case QUANTITY -> parseQuantity(key, value);
        case MBPS -> parseMbps(key, value);
      };
    }
  }

  private static Direction parseQuantity(AnnotationKey key, String value) {
    BigDecimal bits;
    try {
      bits = Quantity.parse(value).getNumericalAmount();
    } catch (RuntimeException e) {
      return Direction.invalid(key, value, "is not a Kubernetes quantity");
    }
    BigDecimal wholeBits = bits.setScale(0, RoundingMode.CEILING);
    if (wholeBits.compareTo(MIN_BITS) < 0 || wholeBits.compareTo(MAX_BITS) > 0) {
      return Direction.invalid(key, value, "is " + wholeBits.toPlainString() + " bit/s, outside [1k, 1P]");
    }
    return Direction.valid(wholeBits.divide(BITS_PER_MBIT, 0, RoundingMode.CEILING).longValueExact());
  }

  private static Direction parseMbps(AnnotationKey key, String value) {
    if (!PLAIN_NUMBER.matcher(value).matches()) {
      return Direction.invalid(key, value, "is not a non-negative number of Mbit/s");
    }
    BigDecimal mbps = new BigDecimal(value).setScale(0, RoundingMode.CEILING);
    if (mbps.compareTo(MAX_BITS.divide(BITS_PER_MBIT)) > 0) {
      return Direction.invalid(key, value, "is above 1P bit/s");
    }
    return Direction.valid(mbps.longValueExact());
  }

  /** One direction's outcome: Mbit/s, or a problem. */
  private record Direction(long mbps, String problem) {

    private static final int SHOWN = 64;

    static Direction valid(long mbps) {
      return new Direction(mbps, null);
    }

    static Direction invalid(AnnotationKey key, String value, String why) {
      return new Direction(0, key.name() + ": \"" + printable(value) + "\" " + why);
    }

    /** Keeps a reason readable and bounded whatever the annotation held: the first 64 characters. */
    private static String printable(String value) {
      String shown = value.length() > SHOWN ? value.substring(0, SHOWN) + "…" : value;
      StringBuilder out = new StringBuilder(shown.length());
      shown.codePoints().forEach(c -> {
        if (Character.isISOControl(c)) {
          out.append(String.format("\\u%04x", c));
        } else {
          out.appendCodePoint(c);
        }
      });
      return out.toString();
    }
  }
}
