package org.bwledger.projector.extender;

import java.time.Instant;
import java.util.List;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;

/** Node states as the ledger publishes them, for feeding a {@link PlacementBook} directly. */
final class States {

  private States() {}

  /**
   * A node of the default capacity (local 20000, network 1000 Mbit/s each way) using what its
   * reservations say: link-local ones on local only.
   */
  static NodeBandwidth node(String name, List<Reservation> reservations) {
    return node(name, reservations, 20_000, 1_000);
  }

  /** A node of {@code local} and {@code network} Mbit/s each way, using what its reservations say. */
  static NodeBandwidth node(String name, List<Reservation> reservations, long local, long network) {
    long[] used = new long[4];
    for (Reservation r : reservations) {
      used[0] += r.getUlMbps();
      used[1] += r.getDlMbps();
      if (!r.getLinkLocal()) {
        used[2] += r.getUlMbps();
        used[3] += r.getDlMbps();
      }
    }
    LinkFigures capacity = new LinkFigures(local, local, network, network);
    return new NodeBandwidth(name, null, capacity, new LinkFigures(used[0], used[1], used[2], used[3]),
        new LinkFigures(local - used[0], local - used[1], network - used[2], network - used[3]),
        reservations, List.of(), null, Instant.EPOCH, "e-0", null);
  }

  /** A pod's egress reservation; {@code owner} names its ReplicaSet (uid {@code uid-<owner>}), or null. */
  static Reservation reservation(String uid, String namespace, String name, String owner, long ulMbps,
      boolean linkLocal) {
    return reservation(uid, namespace, name, owner, ulMbps, 0, linkLocal);
  }

  /** A pod's egress and ingress reservation. */
  static Reservation reservation(String uid, String namespace, String name, String owner, long ulMbps, long dlMbps,
      boolean linkLocal) {
    return new Reservation(uid, namespace, name, null, owner == null ? null : new Owner("ReplicaSet", owner, "uid-" + owner),
        ReservationState.ACTIVE, null, ulMbps, dlMbps, linkLocal);
  }
}
