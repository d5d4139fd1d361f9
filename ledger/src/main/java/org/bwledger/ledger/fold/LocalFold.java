package org.bwledger.ledger.fold;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.KeyPartitioner;

/**
 * The whole fold in one thread and in memory, for replay: the same three stages the topology runs,
 * with each event's consequences carried through all stages before the next event, which is the
 * order the live topology takes them in (event time).
 *
 * <p>It keeps the first stage's objects per partition of the log, as the live ledger does: what an
 * event sees there (an extender's assumption whose deadline passed is released by the first event
 * of its partition at or after it) then depends on the partitions as it does live.
 */
public final class LocalFold {

  private final ObservedObjects objects;
  private final WorkloadPlacements placements = new WorkloadPlacements();
  private final NodeBooks books;

  private final List<ObservedObjects.Tables> objectTables = new ArrayList<>();
  private final MemoryTable<WorkloadSpread> spreads = MemoryTable.unindexed();
  private final MemoryTable<NodeSummary> summaries = MemoryTable.unindexed();
  private final NodeBooks.Tables nodeTables = new NodeBooks.Tables(summaries, new MemoryGroupedTable<>());
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

  /** The fold of a log of one partition, its notices logged. */
  public LocalFold(LedgerRules rules) {
    this(rules, 1, FoldNotices.LOGGED);
  }

  /**
   * The fold of a log of {@code partitions} partitions, each event where Kafka's producer put its key.
   *
   * @param notices where the first stage's notices go
   */
  public LocalFold(LedgerRules rules, int partitions, FoldNotices notices) {
    this.objects = new ObservedObjects(rules, notices);
    this.books = new NodeBooks(rules);
    for (int partition = 0; partition < partitions; partition++) {
      // pods, nodes and assumptions are scanned only when a relist completes; deadlines on every event
      objectTables.add(new ObservedObjects.Tables(MemoryTable.unindexed(), MemoryTable.unindexed(),
          MemoryTable.unindexed(), MemoryTable.unindexed(), MemoryTable.indexed()));
    }
  }

  /** Folds one event of {@code bw.cluster-events}; a resync chunk, of which each partition has a copy, in each. */
  public void apply(ClusterEvent event) {
    touched.clear();
    if (event.getPayload() instanceof Resync) {
      objectTables.forEach(tables -> objects.apply(event, tables, outbox));
    } else {
      objects.apply(event, objectTables.get(KeyPartitioner.partition(ClusterEventKey.of(event), objectTables.size())),
          outbox);
    }
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
