package org.bwledger.ledger.topology;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bwledger.ledger.fold.NodeBooks;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.Progress;
import org.bwledger.schemas.serde.AvroSerde;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;

/**
 * Runs {@link NodeBooks} on its state stores, taking node changes in event-time order ({@link
 * EventTimeOrder}: a link-local flip comes one stage later than the pod change beside it), and
 * publishes a changed node at once if it was not published within the last emit interval, and
 * otherwise with the others at the end of the interval: a quiet node's change is out without
 * waiting, and a busy node is written out about once per interval, not once per event. What is
 * published never depends on the clock; only how often it is published does.
 *
 * <p>Coalescing never crosses a window of event time ({@code emitInterval} long, counted from 1970):
 * an event of a later window first publishes what the node held before it. So the last state of
 * every window gets a version of its own, dated by its last event, whatever the wall clock did
 * meanwhile: after a restart, a rebalance or an outage, the first state the new run publishes does
 * not swallow the ones before, and history asked {@code ?at=} a time tells what the log holds then.
 */
final class NodeBooksProcessor implements Processor<String, NodeChange, String, byte[]> {

  private static final AvroSerde<NodeBandwidth> STATES = AvroSerde.of(NodeBandwidth.class);
  private static final AvroSerde<Reservation> RESERVATIONS = AvroSerde.of(Reservation.class);

  private final NodeBooks stage;
  private final Duration emitInterval;
  private final List<String> sources;
  private NodeBooks.Tables tables;
  private MirroredGroupedTable<Reservation> reservations;
  private KeyValueStore<String, Long> changed;
  private EventTimeOrder<NodeChange> order;
  private Counter late;
  private ProcessorContext<String, byte[]> context;
  /** When each node was last published, by the wall clock: it paces publishing only, so a restart may forget it. */
  private final Map<String, Long> publishedAt = new HashMap<>();

  /** @param sources the workload-placements tasks, one per partition of the workload changes */
  NodeBooksProcessor(NodeBooks stage, Duration emitInterval, List<String> sources) {
    this.stage = stage;
    this.emitInterval = emitInterval;
    this.sources = sources;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.reservations = new MirroredGroupedTable<>(context.getStateStore(LedgerTopology.NODE_RESERVATIONS_STORE),
        RESERVATIONS);
    this.tables = new NodeBooks.Tables(
        new MirroredStoreTable<>(context.getStateStore(LedgerTopology.NODE_SUMMARIES_STORE)), reservations);
    this.changed = context.getStateStore(LedgerTopology.CHANGED_NODES_STORE);
    // The workload-placements tasks hear the same words and move together; one back from idle must
    // hold back the others here, since its word and another's arrive through different producers.
    this.order = new EventTimeOrder<>(LedgerTopology.NODES_SOURCE + context.taskId().partition(), sources,
        EventTimeOrder.IdleSources.HOLD_BACK,
        new StoreTable<>(context.getStateStore(LedgerTopology.HELD_NODE_CHANGES_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.NODE_SOURCES_STORE)));
    this.late = LedgerTopology.lateChanges(context, LedgerTopology.NODES_STAGE);
    context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> publishChanged());
  }

  @Override
  public void process(Record<String, NodeChange> record) {
    NodeChange change = record.value();
    if (change.getChange() instanceof Progress word) {
      Map<String, Long> turn = new LinkedHashMap<>();
      order.heard(word).forEach(release -> apply(release.time(), release.subject(), release.change(), turn));
      publishQuietOrKeep(turn);
      return;
    }
    if (order.hold(record.timestamp(), context.recordMetadata().orElseThrow().offset(), record.key(), change)) {
      late.increment();
    }
  }

  /**
   * Applies a change in its turn at {@code time}, noting the node in {@code turn}; a change of a
   * later window first publishes the node.
   */
  private void apply(long time, String node, NodeChange change, Map<String, Long> turn) {
    Long pending = turn.containsKey(node) ? turn.get(node) : changed.get(node);
    if (pending != null && window(pending) != window(time)) {
      publish(node, pending);
    }
    stage.apply(node, change, tables);
    turn.put(node, time);
  }

  /**
   * Publishes the nodes of a turn that were not published within the last interval, and keeps the
   * others in the changed-nodes store for the interval's end. Only those touch the store (and its
   * changelog): a node published in its turn is never written there.
   */
  private void publishQuietOrKeep(Map<String, Long> turn) {
    long now = context.currentSystemTimeMs();
    for (Map.Entry<String, Long> node : turn.entrySet()) {
      Long published = publishedAt.get(node.getKey());
      if (published == null || now - published >= emitInterval.toMillis()) {
        publish(node.getKey(), node.getValue());
      } else {
        changed.put(node.getKey(), node.getValue());
      }
    }
  }

  /** Publishes each changed node's books, or a tombstone. */
  private void publishChanged() {
    List<KeyValue<String, Long>> nodes = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = changed.all()) {
      all.forEachRemaining(nodes::add);
    }
    for (KeyValue<String, Long> node : nodes) {
      publish(node.key, node.value);
    }
  }

  /**
   * Publishes a node's books (a tombstone once gone), timestamped when it last changed. Its
   * reservations are written as the bytes the reservations table holds for them: most of a node's
   * state, and encoding them again was half the cost of a publish.
   */
  private void publish(String node, long lastChange) {
    NodeBandwidth books = stage.published(node, tables);
    long timestamp = books == null ? lastChange : books.getUpdatedAt().toEpochMilli();
    byte[] bytes = STATES.encode(books,
        nested -> nested instanceof Reservation r ? reservations.encoded(node, r.getPodUid(), r) : null);
    context.forward(new Record<>(node, bytes, timestamp));
    if (changed.get(node) != null) {
      changed.delete(node);
    }
    if (books == null) {
      publishedAt.remove(node);
    } else {
      publishedAt.put(node, context.currentSystemTimeMs());
    }
  }

  private long window(long epochMillis) {
    return Math.floorDiv(epochMillis, emitInterval.toMillis());
  }
}
