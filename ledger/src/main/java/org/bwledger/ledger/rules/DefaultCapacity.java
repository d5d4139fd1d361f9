package org.bwledger.ledger.rules;

import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.state.LinkFigures;

/**
 * The capacity a node has where its Bandwidth object's {@code spec.capacity} says nothing (DESIGN
 * §4.3). All figures in Mbit/s.
 */
public record DefaultCapacity(long localUlMbps, long localDlMbps, long networkUlMbps, long networkDlMbps) {

  /** What the existing bandwidth operator assumes: 20000/20000 local, 1000/1000 network. */
  public static final DefaultCapacity EXISTING_OPERATOR = new DefaultCapacity(20_000, 20_000, 1_000, 1_000);

  public DefaultCapacity {
    if (localUlMbps < 0 || localDlMbps < 0 || networkUlMbps < 0 || networkDlMbps < 0) {
      throw new IllegalArgumentException("capacities must not be negative: " + this);
    }
  }

  /** The node's capacity: each field of the user's spec where set, this default elsewhere. */
  public LinkFigures capacityFor(CapacitySpec spec) {
    if (spec == null) {
      return new LinkFigures(localUlMbps, localDlMbps, networkUlMbps, networkDlMbps);
    }
    return new LinkFigures(
        orDefault(spec.getLocalUlMbps(), localUlMbps),
        orDefault(spec.getLocalDlMbps(), localDlMbps),
        orDefault(spec.getNetworkUlMbps(), networkUlMbps),
        orDefault(spec.getNetworkDlMbps(), networkDlMbps));
  }

  private static long orDefault(Long set, long fallback) {
    return set != null ? set : fallback;
  }
}
