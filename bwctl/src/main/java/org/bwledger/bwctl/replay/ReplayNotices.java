package org.bwledger.bwctl.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bwledger.ledger.fold.FoldNotices;
import org.bwledger.schemas.event.PodAssumed;

/**
 * The fold's notices over a replay, tallied: a log of a busy cluster lapses thousands of extender
 * assumptions, each a line in the live ledger's log, which a replay sums up in one.
 */
final class ReplayNotices implements FoldNotices {

  private long assumptionsReleased;
  private final Set<String> resyncs = new HashSet<>();
  private final Set<String> resyncsIgnored = new HashSet<>();
  private long podsRetired;
  private long nodesRetired;

  @Override
  public void assumptionReleased(PodAssumed assumed) {
    assumptionsReleased++;
  }

  @Override
  public void resyncCompleted(String resyncId, int podsRetired, int nodesRetired) {
    resyncs.add(resyncId); // each partition completes it, retiring what it holds
    this.podsRetired += podsRetired;
    this.nodesRetired += nodesRetired;
  }

  @Override
  public void resyncIncomplete(String resyncId, int missingChunk, int chunks) {
    resyncsIgnored.add(resyncId);
  }

  /** What the fold noted, a line each kind; none when it noted nothing. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (assumptionsReleased > 0) {
      lines.add(String.format("%,d extender assumptions lapsed: their pods were not seen on their nodes by the deadline",
          assumptionsReleased));
    }
    if (!resyncs.isEmpty()) {
      lines.add(String.format("%,d relists completed, retiring %,d pods and %,d nodes they no longer held",
          resyncs.size(), podsRetired, nodesRetired));
    }
    if (!resyncsIgnored.isEmpty()) {
      lines.add(String.format("%,d relists lacked a chunk and were ignored", resyncsIgnored.size()));
    }
    return lines;
  }
}
