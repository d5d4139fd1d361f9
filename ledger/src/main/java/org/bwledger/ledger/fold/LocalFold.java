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
 * The whole fold in one process and in memory, for replay: the same three stages the topology runs,
 * with each event's consequences carried through all stages before the next event's reach the
 * books, which is the order the live topology takes them in (event time).
 *
 * <p>It keeps the first stage's objects per partition of the log, as the live ledger does: what an
 * event sees there (an extender's assumption whose deadline passed is released by the first event
 * of its partition at or after it) then depends on the partitions as it does live.
 *
 * <p>The first two stages (its {@link #front()}) keep state apart from the books', so they may run
 * on a thread of their own, ahead of the books, as long as the books take what they made in the
 * same order ({@link #applyToBooks}); {@link #apply} runs both at once.
 */
public final class LocalFold {

  private final Front front;
  private final NodeBooks books;
  private final MemoryTable<NodeSummary> summaries = MemoryTable.unindexed();
  // a node's reservations are scanned on every link-local flip
  private final NodeBooks.Tables nodeTables = new NodeBooks.Tables(summaries, MemoryTable.indexed());
  private final Set<String> touched = new TreeSet<>();

  /** A change for one node's books, as stage 1 or 2 sends it. */
  public record Routed(String node, NodeChange change) {}

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
    this.front = new Front(rules, partitions, notices);
    this.books = new NodeBooks(rules);
  }

  /** Folds one event of {@code bw.cluster-events} through all three stages. */
  public void apply(ClusterEvent event) {
    applyToBooks(front.apply(event));
  }

  /** The first two stages, which turn events into node changes; one thread at a time. */
  public Front front() {
    return front;
  }

  /** Applies to the books what the front made of one event, in the order it made them. */
  public void applyToBooks(List<Routed> changes) {
    touched.clear();
    for (Routed routed : changes) {
      touched.add(routed.node());
      books.apply(routed.node(), routed.change(), nodeTables);
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

  /**
   * Stages 1 (observed objects, per partition) and 2 (workload placements) of a local fold: each
   * event in, the node changes it makes out, for the books.
   */
  public static final class Front {

    private final ObservedObjects objects;
    private final WorkloadPlacements placements = new WorkloadPlacements();
    private final List<ObservedObjects.Tables> objectTables = new ArrayList<>();
    private final MemoryTable<WorkloadSpread> spreads = MemoryTable.unindexed();
    private List<Routed> made = new ArrayList<>();
    private final Outbox outbox = new Outbox() {
      @Override
      public void toWorkload(String workload, WorkloadChange change) {
        placements.apply(workload, change, spreads, this);
      }

      @Override
      public void toNode(String node, NodeChange change) {
        made.add(new Routed(node, change));
      }
    };

    private Front(LedgerRules rules, int partitions, FoldNotices notices) {
      this.objects = new ObservedObjects(rules, notices);
      for (int partition = 0; partition < partitions; partition++) {
        // pods, nodes and assumptions are scanned only when a relist completes; deadlines on every event
        objectTables.add(new ObservedObjects.Tables(MemoryTable.unindexed(), MemoryTable.unindexed(),
            MemoryTable.unindexed(), MemoryTable.unindexed(), MemoryTable.indexed()));
      }
    }

    /** Folds one event through stages 1 and 2; a resync chunk, of which each partition has a copy, in each. */
    public List<Routed> apply(ClusterEvent event) {
      made = new ArrayList<>(2);
      if (event.getPayload() instanceof Resync) {
        objectTables.forEach(tables -> objects.apply(event, tables, outbox));
      } else {
        objects.apply(event, objectTables.get(KeyPartitioner.partition(ClusterEventKey.of(event), objectTables.size())),
            outbox);
      }
      return made;
    }
  }
}
