package org.bwledger.ledger.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bwledger.ledger.fold.NodeBooks;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Runs {@link NodeBooks} on its state stores and publishes the nodes that changed once per emit
 * interval: like a cached table, a busy node is written out once per interval, not once per
 * event. What is published never depends on the clock; only how often it is published does.
 *
 * <p>Coalescing never crosses a window of event time ({@code emitInterval} long, counted from 1970):
 * an event of a later window first publishes what the node held before it. So the last state of
 * every window gets a version of its own, dated by its last event, whatever the wall clock did
 * meanwhile: after a restart, a rebalance or an outage, the first state the new run publishes does
 * not swallow the ones before, and history asked {@code ?at=} a time tells what the log holds then.
 */
final class NodeBooksProcessor implements Processor<String, NodeChange, String, NodeBandwidth> {

  private final NodeBooks stage;
  private final Duration emitInterval;
  private NodeBooks.Tables tables;
  private KeyValueStore<String, Long> changed;
  private ProcessorContext<String, NodeBandwidth> context;

  NodeBooksProcessor(NodeBooks stage, Duration emitInterval) {
    this.stage = stage;
    this.emitInterval = emitInterval;
  }

  @Override
  public void init(ProcessorContext<String, NodeBandwidth> context) {
    this.context = context;
    this.tables = new NodeBooks.Tables(
        new StoreTable<>(context.getStateStore(LedgerTopology.NODE_SUMMARIES_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.NODE_RESERVATIONS_STORE)));
    this.changed = context.getStateStore(LedgerTopology.CHANGED_NODES_STORE);
    context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> publishChanged());
  }

  @Override
  public void process(Record<String, NodeChange> record) {
    long observedAt = record.value().getObservedAt().toEpochMilli();
    Long pending = changed.get(record.key());
    if (pending != null && window(pending) != window(observedAt)) {
      publish(record.key(), pending);
    }
    stage.apply(record.key(), record.value(), tables);
    changed.put(record.key(), observedAt);
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

  /** Publishes a node's books (a tombstone once gone), timestamped when it last changed. */
  private void publish(String node, long lastChange) {
    NodeBandwidth books = stage.published(node, tables);
    long timestamp = books == null ? lastChange : books.getUpdatedAt().toEpochMilli();
    context.forward(new Record<>(node, books, timestamp));
    changed.delete(node);
  }

  private long window(long epochMillis) {
    return Math.floorDiv(epochMillis, emitInterval.toMillis());
  }
}
