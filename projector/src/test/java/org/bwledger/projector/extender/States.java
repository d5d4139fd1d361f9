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
    long[] used = new long[4];
    for (Reservation r : reservations) {
      used[0] += r.getUlMbps();
      used[1] += r.getDlMbps();
      if (!r.getLinkLocal()) {
        used[2] += r.getUlMbps();
        used[3] += r.getDlMbps();
      }
    }
    LinkFigures capacity = new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L);
    return new NodeBandwidth(name, null, capacity, new LinkFigures(used[0], used[1], used[2], used[3]),
        new LinkFigures(20_000 - used[0], 20_000 - used[1], 1_000 - used[2], 1_000 - used[3]),
        reservations, List.of(), null, Instant.EPOCH, "e-0");
  }

  /** A pod's egress reservation; {@code owner} names its ReplicaSet (uid {@code uid-<owner>}), or null. */
  static Reservation reservation(String uid, String namespace, String name, String owner, long ulMbps,
      boolean linkLocal) {
    return new Reservation(uid, namespace, name, null, owner == null ? null : new Owner("ReplicaSet", owner, "uid-" + owner),
        ReservationState.ACTIVE, null, ulMbps, 0L, linkLocal);
  }
}
