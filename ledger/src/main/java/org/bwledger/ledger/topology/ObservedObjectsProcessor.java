package org.bwledger.ledger.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bwledger.ledger.fold.ObservedObjects;
import org.bwledger.ledger.fold.Outbox;
import org.bwledger.ledger.rules.EventBounds;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link ObservedObjects} on its state stores; forwards workload and node changes, re-keyed. */
final class ObservedObjectsProcessor implements Processor<String, ClusterEvent, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(ObservedObjectsProcessor.class);

  private final ObservedObjects stage;
  private ObservedObjects.Tables tables;
  private ProcessorContext<String, SpecificRecord> context;

  ObservedObjectsProcessor(ObservedObjects stage) {
    this.stage = stage;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.tables = new ObservedObjects.Tables(
        new StoreTable<>(context.getStateStore(LedgerTopology.PODS_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.NODES_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.RESYNC_CHUNKS_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.ASSUMPTIONS_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.ASSUMPTION_DEADLINES_STORE)));
  }

  /**
   * Applies one event, after checking it keeps the {@link EventBounds}: one that does not is
   * turned away whole, before it touches any store, and goes to the dead-letter topic.
   */
  @Override
  public void process(Record<String, ClusterEvent> record) {
    if (record.value() == null) {
      log.warn("Skipping a record without value (key {}): bw.cluster-events holds no tombstones", record.key());
      return;
    }
    EventBounds.violation(record.value()).ifPresent(reason -> {
      throw new RejectedEvent(reason);
    });
    stage.apply(record.value(), tables, new Outbox() {
      @Override
      public void toWorkload(String workload, WorkloadChange change) {
        context.forward(record.withKey(workload).<SpecificRecord>withValue(change));
      }

      @Override
      public void toNode(String node, NodeChange change) {
        context.forward(record.withKey(node).<SpecificRecord>withValue(change));
      }
    });
  }
}
