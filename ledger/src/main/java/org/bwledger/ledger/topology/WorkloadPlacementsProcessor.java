package org.bwledger.ledger.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bwledger.ledger.fold.Outbox;
import org.bwledger.ledger.fold.StateTable;
import org.bwledger.ledger.fold.WorkloadPlacements;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;

/** Runs {@link WorkloadPlacements} on its state store; forwards locality flips keyed by node. */
final class WorkloadPlacementsProcessor implements Processor<String, WorkloadChange, String, NodeChange> {

  private final WorkloadPlacements stage = new WorkloadPlacements();
  private StateTable<WorkloadSpread> spreads;
  private ProcessorContext<String, NodeChange> context;

  @Override
  public void init(ProcessorContext<String, NodeChange> context) {
    this.context = context;
    this.spreads = new StoreTable<>(context.getStateStore(LedgerTopology.WORKLOAD_SPREADS_STORE));
  }

  @Override
  public void process(Record<String, WorkloadChange> record) {
    stage.apply(record.key(), record.value(), spreads, new Outbox() {
      @Override
      public void toWorkload(String workload, WorkloadChange change) {
        throw new IllegalStateException("workload placements never send to workloads");
      }

      @Override
      public void toNode(String node, NodeChange change) {
        context.forward(record.withKey(node).withValue(change));
      }
    });
  }
}
