package org.bwledger.ledger.fold;

import org.bwledger.schemas.event.PodAssumed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fold's notices as log lines, named after the stage that notes them. */
final class LoggedNotices implements FoldNotices {

  private static final Logger log = LoggerFactory.getLogger(ObservedObjects.class);

  @Override
  public void assumptionReleased(PodAssumed assumed) {
    log.info("Released the assumed reservation of pod {}/{} on {}: not seen there by {}",
        assumed.getNamespace(), assumed.getName(), assumed.getNodeName(), assumed.getExpiresAt());
  }

  @Override
  public void resyncCompleted(String resyncId, int podsRetired, int nodesRetired) {
    log.info("Resync {} complete: retired {} pods and {} nodes missing from the relist", resyncId, podsRetired,
        nodesRetired);
  }

  @Override
  public void resyncIncomplete(String resyncId, int missingChunk, int chunks) {
    log.warn("Resync {} is missing chunk {} of {}; ignoring it", resyncId, missingChunk, chunks);
  }
}
