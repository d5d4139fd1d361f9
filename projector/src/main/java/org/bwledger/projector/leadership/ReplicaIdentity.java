package org.bwledger.projector.leadership;

import java.net.URI;
import java.util.Optional;

/**
 * A projector replica's name in the Lease it competes for: its application id and where its
 * scheduler extender answers, {@code <applicationId>@<host>:<port>}. The replica that holds the Lease decides
 * every extender call, so the others must find it from the Lease alone.
 */
public record ReplicaIdentity(String applicationId, String host, int port) {

  /** Reads an identity as written in a Lease; empty when it is not one of ours. */
  public static Optional<ReplicaIdentity> parse(String holder) {
    int at = holder == null ? -1 : holder.lastIndexOf('@');
    int colon = holder == null ? -1 : holder.lastIndexOf(':');
    if (at < 0 || colon < at) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ReplicaIdentity(holder.substring(0, at), holder.substring(at + 1, colon),
          Integer.parseInt(holder.substring(colon + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The base URL of the replica's extender, reached with {@code scheme} ({@code http} or {@code https}). */
  public URI url(String scheme) {
    return URI.create(scheme + "://" + host + ":" + port);
  }

  @Override
  public String toString() {
    return applicationId + "@" + host + ":" + port;
  }
}
