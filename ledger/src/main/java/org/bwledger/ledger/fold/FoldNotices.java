package org.bwledger.ledger.fold;

import org.bwledger.schemas.event.PodAssumed;

/**
 * What the fold's first stage notes beside the books: each a line of the live ledger's log
 * ({@link #LOGGED}); a replay of a long log tallies them instead of printing thousands of lines.
 */
public interface FoldNotices {

  /** The live ledger's notices: a log line each. */
  FoldNotices LOGGED = new LoggedNotices();

  /** An extender's assumption lapsed: its pod was not seen on the node by the deadline. */
  void assumptionReleased(PodAssumed assumed);

  /** A relist completed, retiring the pods and nodes it no longer holds. */
  void resyncCompleted(String resyncId, int podsRetired, int nodesRetired);

  /** A relist lacked one of its chunks, so it was ignored. */
  void resyncIncomplete(String resyncId, int missingChunk, int chunks);
}
