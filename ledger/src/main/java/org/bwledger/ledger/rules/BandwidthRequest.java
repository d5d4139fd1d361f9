package org.bwledger.ledger.rules;

import java.util.Objects;

/**
 * What a pod's annotations ask for, in Mbit/s. An invalid request counts 0 in both directions and
 * says why; a missing direction counts 0.
 *
 * @param declared at least one bandwidth annotation is present
 * @param ulMbps egress counted
 * @param dlMbps ingress counted
 * @param invalidReason why the request is invalid, or {@code null} when it is valid
 */
public record BandwidthRequest(boolean declared, long ulMbps, long dlMbps, String invalidReason) {

  /** No bandwidth annotation at all: the pod holds no reservation. */
  public static final BandwidthRequest NONE = new BandwidthRequest(false, 0, 0, null);

  public static BandwidthRequest valid(long ulMbps, long dlMbps) {
    return new BandwidthRequest(true, ulMbps, dlMbps, null);
  }

  public static BandwidthRequest invalid(String reason) {
    return new BandwidthRequest(true, 0, 0, Objects.requireNonNull(reason, "reason"));
  }

  public boolean isValid() {
    return invalidReason == null;
  }
}
