package org.bwledger.ledger.fold;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.ledger.LocalityChange;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.PlacementCount;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;

/**
 * Second stage of the fold, keyed by workload: counts live siblings per placement and tells a node
 * only when the workload starts or stops being link-local there. A workload is link-local on at
 * most one node, so a flip costs at most two messages, however many nodes the workload spans.
 */
public final class WorkloadPlacements {

  /** Applies one move of a sibling of {@code workload}, whose spread is kept in {@code spreads}. */
  public void apply(String workload, WorkloadChange move, StateTable<WorkloadSpread> spreads, Outbox out) {
    List<PlacementCount> before = spreadOf(spreads.get(workload));
    List<PlacementCount> after = new ArrayList<>(before);
    adjust(after, move.getFrom(), -1);
    adjust(after, move.getTo(), +1);
    spreads.put(workload, after.isEmpty() ? null : new WorkloadSpread(after));

    Optional<String> wasLocalOn = Workloads.linkLocalNode(before);
    Optional<String> isLocalOn = Workloads.linkLocalNode(after);
    if (wasLocalOn.equals(isLocalOn)) {
      return;
    }
    wasLocalOn.ifPresent(node -> out.toNode(node, locality(move, workload, false)));
    isLocalOn.ifPresent(node -> out.toNode(node, locality(move, workload, true)));
  }

  private static List<PlacementCount> spreadOf(WorkloadSpread spread) {
    return spread == null ? List.of() : spread.getPlacements();
  }

  private static void adjust(List<PlacementCount> placements, String placement, int delta) {
    if (placement == null) {
      return;
    }
    for (int i = 0; i < placements.size(); i++) {
      PlacementCount count = placements.get(i);
      if (count.getPlacement().equals(placement)) {
        int pods = count.getPods() + delta;
        if (pods > 0) {
          placements.set(i, new PlacementCount(placement, pods));
        } else {
          placements.remove(i);
        }
        return;
      }
    }
    if (delta > 0) {
      placements.add(new PlacementCount(placement, delta));
      placements.sort(Comparator.comparing(PlacementCount::getPlacement));
    }
  }

  private static NodeChange locality(WorkloadChange cause, String workload, boolean linkLocal) {
    return new NodeChange(cause.getObservedAt(), cause.getEventId(), new LocalityChange(workload, linkLocal));
  }
}
