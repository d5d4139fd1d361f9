package org.bwledger.ledger.fold;

import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * The whole fold in one thread and in memory, for replay: the same three stages the topology runs,
 * with each event's consequences carried through all stages before the next event. That is one of
 * the orders the live topology may take, and every order ends in the same states; only
 * {@code oversubscribedSince}, which remembers transient states, may differ.
 */
public final class LocalFold {

  private final ObservedObjects objects;
  private final WorkloadPlacements placements = new WorkloadPlacements();
  private final NodeBooks books;

  private final ObservedObjects.Tables objectTables =
      new ObservedObjects.Tables(
          new MemoryTable<>(), new MemoryTable<>(), new MemoryTable<>(), new MemoryTable<>(), new MemoryTable<>());
  private final MemoryTable<WorkloadSpread> spreads = new MemoryTable<>();
  private final MemoryTable<NodeSummary> summaries = new MemoryTable<>();
  private final NodeBooks.Tables nodeTables = new NodeBooks.Tables(summaries, new MemoryTable<>());
  private final Set<String> touched = new TreeSet<>();
  private final Outbox outbox = new Outbox() {
    @Override
    public void toWorkload(String workload, WorkloadChange change) {
      placements.apply(workload, change, spreads, this);
    }

    @Override
    public void toNode(String node, NodeChange change) {
      touched.add(node);
      books.apply(node, change, nodeTables);
    }
  };

  public LocalFold(LedgerRules rules) {
    this.objects = new ObservedObjects(rules);
    this.books = new NodeBooks(rules);
  }

  /** Folds one event of {@code bw.cluster-events}. */
  public void apply(ClusterEvent event) {
    touched.clear();
    objects.apply(event, objectTables, outbox);
  }

  /** The nodes whose books the last event changed, by name. */
  public Set<String> touchedNodes() {
    return Set.copyOf(touched);
  }

  /** What the ledger publishes now for one node; null when it has no state. */
  public NodeBandwidth published(String node) {
    return books.published(node, nodeTables);
  }

  /** What the ledger publishes now, by node name. */
  public SortedMap<String, NodeBandwidth> published() {
    SortedMap<String, NodeBandwidth> nodes = new TreeMap<>();
    for (String node : summaries.scan("").keySet()) {
      NodeBandwidth state = published(node);
      if (state != null) {
        nodes.put(node, state);
      }
    }
    return nodes;
  }
}
