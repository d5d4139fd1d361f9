package org.bwledger.ledger.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.Reservation;

/** Used, remaining and oversubscription of a node (DESIGN §4, rules 2 and 4). */
public final class NodeAccounting {

  /**
   * The order reservations are listed in: namespace, pod name, pod uid. Written out rather than
   * chained with {@code Comparator.comparing}: a node's list is sorted at every publish, and written
   * out the sort takes about a quarter less of the fold's stream thread (a profile of FoldBenchmark).
   */
  public static final Comparator<Reservation> RESERVATION_ORDER = (a, b) -> {
    int byNamespace = a.getNamespace().compareTo(b.getNamespace());
    if (byNamespace != 0) {
      return byNamespace;
    }
    int byName = a.getPodName().compareTo(b.getPodName());
    return byName != 0 ? byName : a.getPodUid().compareTo(b.getPodUid());
  };

  private NodeAccounting() {}

  /** What one reservation is charged: local always, network too unless it is link-local. */
  public static LinkFigures charge(Reservation r) {
    long networkUl = r.getLinkLocal() ? 0 : r.getUlMbps();
    long networkDl = r.getLinkLocal() ? 0 : r.getDlMbps();
    return new LinkFigures(r.getUlMbps(), r.getDlMbps(), networkUl, networkDl);
  }

  /** {@code a + b}, dimension by dimension. */
  public static LinkFigures plus(LinkFigures a, LinkFigures b) {
    return new LinkFigures(
        a.getLocalUlMbps() + b.getLocalUlMbps(),
        a.getLocalDlMbps() + b.getLocalDlMbps(),
        a.getNetworkUlMbps() + b.getNetworkUlMbps(),
        a.getNetworkDlMbps() + b.getNetworkDlMbps());
  }

  /** {@code capacity - used}, negative where oversubscribed. */
  public static LinkFigures remaining(LinkFigures capacity, LinkFigures used) {
    return minus(capacity, used);
  }

  /** {@code a - b}, dimension by dimension. */
  public static LinkFigures minus(LinkFigures a, LinkFigures b) {
    return new LinkFigures(
        a.getLocalUlMbps() - b.getLocalUlMbps(),
        a.getLocalDlMbps() - b.getLocalDlMbps(),
        a.getNetworkUlMbps() - b.getNetworkUlMbps(),
        a.getNetworkDlMbps() - b.getNetworkDlMbps());
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
