package org.bwledger.ledger.fold;

import java.util.ArrayList;
import java.util.Collections;
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

  private static final Comparator<PlacementCount> BY_PLACEMENT = Comparator.comparing(PlacementCount::getPlacement);

  /** Applies one move of a sibling of {@code workload}, whose spread is kept in {@code spreads}. */
  public void apply(String workload, WorkloadChange move, StateTable<WorkloadSpread> spreads, Outbox out) {
    List<PlacementCount> before = spreadOf(spreads.get(workload));
    List<PlacementCount> after = new ArrayList<>(before);
    remove(after, move.getFrom());
    add(after, move.getTo());
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

  /** One more sibling at {@code placement}; the list stays sorted, so a spread has one form. */
  private static void add(List<PlacementCount> placements, String placement) {
    if (placement == null) {
      return;
    }
    int at = indexOf(placements, placement);
    if (at >= 0) {
      placements.set(at, new PlacementCount(placement, placements.get(at).getPods() + 1));
    } else {
      placements.add(-at - 1, new PlacementCount(placement, 1));
    }
  }

  /** One sibling fewer at {@code placement}; a placement left with none is dropped. */
  private static void remove(List<PlacementCount> placements, String placement) {
    int at = placement == null ? -1 : indexOf(placements, placement);
    if (at < 0) {
      return;
    }
    int pods = placements.get(at).getPods() - 1;
    if (pods > 0) {
      placements.set(at, new PlacementCount(placement, pods));
    } else {
      placements.remove(at);
    }
  }

  /** Where {@code placement} is in the sorted list, or {@code -(insertion point) - 1}, as binary search answers. */
  private static int indexOf(List<PlacementCount> placements, String placement) {
    return Collections.binarySearch(placements, new PlacementCount(placement, 0), BY_PLACEMENT);
  }

  private static NodeChange locality(WorkloadChange cause, String workload, boolean linkLocal) {
    return new NodeChange(cause.getObservedAt(), cause.getEventId(), new LocalityChange(workload, linkLocal));
  }
}
