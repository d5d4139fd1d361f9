package org.bwledger.bwctl.replay;

import java.util.List;
import org.bwledger.schemas.event.CapacitySpec;

/**
 * A what-if capacity for one node and dimension, e.g. {@code worker-2:network-ul=500}: in the replay
 * it replaces whatever the node's Bandwidth spec or the defaults said for that dimension.
 *
 * @param node the node
 * @param dimension {@code local-ul}, {@code local-dl}, {@code network-ul} or {@code network-dl}
 * @param mbps the capacity, Mbit/s
 */
public record CapacityOverride(String node, String dimension, long mbps) {

  /** The dimensions, named as the ledger names them in {@code oversubscribed}. */
  public static final List<String> DIMENSIONS = List.of("local-ul", "local-dl", "network-ul", "network-dl");

  public CapacityOverride {
    if (!DIMENSIONS.contains(dimension)) {
      throw new IllegalArgumentException("unknown dimension '" + dimension + "' (expected one of " + DIMENSIONS + ")");
    }
    if (mbps < 0) {
      throw new IllegalArgumentException("capacity " + mbps + " is below 0");
    }
  }

  /** Reads {@code NODE:DIMENSION=MBPS}. */
  public static CapacityOverride parse(String text) {
    int colon = text.lastIndexOf(':');
    int equals = text.lastIndexOf('=');
    if (colon < 1 || equals < colon + 2 || equals == text.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not NODE:DIMENSION=MBPS, e.g. worker-2:network-ul=500");
    }
    try {
      return new CapacityOverride(text.substring(0, colon), text.substring(colon + 1, equals),
          Long.parseLong(text.substring(equals + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text.substring(equals + 1) + "' is not a whole number of Mbit/s");
    }
  }

  /** The spec with this override applied ({@code spec} may be null: nothing set). */
  CapacitySpec applyTo(CapacitySpec spec) {
    CapacitySpec.Builder out = spec == null ? CapacitySpec.newBuilder() : CapacitySpec.newBuilder(spec);
    switch (dimension) {
      case "local-ul" -> out.setLocalUlMbps(mbps);
      case "local-dl" -> out.setLocalDlMbps(mbps);
      case "network-ul" -> out.setNetworkUlMbps(mbps);
      default -> out.setNetworkDlMbps(mbps);
    }
    return out.build();
  }
}
