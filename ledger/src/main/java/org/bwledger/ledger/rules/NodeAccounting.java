package org.bwledger.ledger.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.Reservation;

/** Used, remaining and oversubscription of a node (DESIGN §4, rules 2 and 4). */
public final class NodeAccounting {

  /** The order reservations are listed in: namespace, pod name, pod uid. */
  public static final Comparator<Reservation> RESERVATION_ORDER =
      Comparator.comparing(Reservation::getNamespace)
          .thenComparing(Reservation::getPodName)
          .thenComparing(Reservation::getPodUid);

  private NodeAccounting() {}

  /** Every reservation is charged to local; to network too unless it is link-local. */
  public static LinkFigures used(List<Reservation> reservations) {
    long localUl = 0;
    long localDl = 0;
    long networkUl = 0;
    long networkDl = 0;
    for (Reservation r : reservations) {
      localUl += r.getUlMbps();
      localDl += r.getDlMbps();
      if (!r.getLinkLocal()) {
        networkUl += r.getUlMbps();
        networkDl += r.getDlMbps();
      }
    }
    return new LinkFigures(localUl, localDl, networkUl, networkDl);
  }

  /** {@code capacity - used}, negative where oversubscribed. */
  public static LinkFigures remaining(LinkFigures capacity, LinkFigures used) {
    return new LinkFigures(
        capacity.getLocalUlMbps() - used.getLocalUlMbps(),
        capacity.getLocalDlMbps() - used.getLocalDlMbps(),
        capacity.getNetworkUlMbps() - used.getNetworkUlMbps(),
        capacity.getNetworkDlMbps() - used.getNetworkDlMbps());
  }

  /** The dimensions whose remaining is below 0, in the order local-ul, local-dl, network-ul, network-dl. */
  public static List<String> oversubscribed(LinkFigures remaining) {
    List<String> dimensions = new ArrayList<>(4);
    if (remaining.getLocalUlMbps() < 0) {
      dimensions.add("local-ul");
    }
    if (remaining.getLocalDlMbps() < 0) {
      dimensions.add("local-dl");
    }
    if (remaining.getNetworkUlMbps() < 0) {
      dimensions.add("network-ul");
    }
    if (remaining.getNetworkDlMbps() < 0) {
      dimensions.add("network-dl");
    }
    return dimensions;
  }
}
