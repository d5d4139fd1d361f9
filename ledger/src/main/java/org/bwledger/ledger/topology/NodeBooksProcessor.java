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
    stage.apply(record.key(), record.value(), tables);
    changed.put(record.key(), record.value().getObservedAt().toEpochMilli());
  }

  /** Publishes each changed node's books, or a tombstone, timestamped when it last changed. */
  private void publishChanged() {
    List<KeyValue<String, Long>> nodes = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = changed.all()) {
      all.forEachRemaining(nodes::add);
    }
    for (KeyValue<String, Long> node : nodes) {
      NodeBandwidth books = stage.published(node.key, tables);
      long timestamp = books == null ? node.value : books.getUpdatedAt().toEpochMilli();
      context.forward(new Record<>(node.key, books, timestamp));
      changed.delete(node.key);
    }
  }
}
