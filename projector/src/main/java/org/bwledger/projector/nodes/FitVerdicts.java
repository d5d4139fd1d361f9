package org.bwledger.projector.nodes;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.bwledger.projector.nodes.NodeMarking.FitBy;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Whether each node fits, as its {@link NodeMarking} judges it. A measured verdict settles only
 * when two consecutive samples agree, so one burst or lull does not flip a node's mark; an unknown
 * sample breaks the run, and until a verdict settles again the mark stays as it was.
 */
final class FitVerdicts {

  /**
   * One node's samples so far.
   *
   * @param sampleAt the last sample's time
   * @param verdict what that sample says: fits or not, null when unknown
   * @param settled the verdict two consecutive samples agreed on last, null before any did
   */
  private record Track(Instant sampleAt, Boolean verdict, Boolean settled) {}

  private final NodeMarking marking;
  private final Map<String, Track> tracks = new HashMap<>();

  FitVerdicts(NodeMarking marking) {
    this.marking = marking;
  }

  /** Whether {@code node} fits in {@code state}; null when there is no verdict (yet). */
  Boolean fits(String node, NodeBandwidth state) {
    boolean reserved = marking.fitsReserved(state);
    if (marking.fitBy() == FitBy.RESERVED) {
      return reserved;
    }
    Boolean measured = settled(node, state);
    if (marking.fitBy() == FitBy.MEASURED) {
      return measured;
    }
    return measured == null ? reserved : reserved && measured;
  }

  /** The node is gone: its samples with it. */
  void forget(String node) {
    tracks.remove(node);
  }

  private Boolean settled(String node, NodeBandwidth state) {
    Track track = tracks.get(node);
    if (state.getTraffic() == null) {
      return track == null ? null : track.settled();
    }
    Instant sampleAt = state.getTraffic().getMeasuredAt();
    if (track != null && track.sampleAt().equals(sampleAt)) {
      return track.settled(); // the node changed, not its traffic
    }
    Boolean verdict = marking.fitsMeasured(state);
    Boolean settled = verdict != null && track != null && verdict.equals(track.verdict()) ? verdict
        : track == null ? null : track.settled();
    tracks.put(node, new Track(sampleAt, verdict, settled));
    return settled;
  }
}
