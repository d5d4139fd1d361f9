package org.bwledger.ledger.topology;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bwledger.ledger.fold.Outbox;
import org.bwledger.ledger.fold.StateTable;
import org.bwledger.ledger.fold.WorkloadPlacements;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.Progress;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;

/**
 * Runs {@link WorkloadPlacements} on its state store, taking sibling moves in event-time order;
 * forwards locality flips keyed by node, then tells the node stage how far it has come. A quiet
 * partition of the events holds nobody back here: its task's word that it counts again comes in
 * line before its moves.
 */
final class WorkloadPlacementsProcessor implements Processor<String, WorkloadChange, String, NodeChange> {

  private final WorkloadPlacements stage = new WorkloadPlacements();
  private final List<String> sources;
  private StateTable<WorkloadSpread> spreads;
  private EventTimeOrder<WorkloadChange> order;
  private Counter late;
  private String self;
  private ProcessorContext<String, NodeChange> context;

  /** @param sources the observed-objects tasks, one per partition of the events */
  WorkloadPlacementsProcessor(List<String> sources) {
    this.sources = sources;
  }

  @Override
  public void init(ProcessorContext<String, NodeChange> context) {
    this.context = context;
    this.self = LedgerTopology.WORKLOADS_SOURCE + context.taskId().partition();
    this.spreads = new StoreTable<>(context.getStateStore(LedgerTopology.WORKLOAD_SPREADS_STORE));
    this.order = new EventTimeOrder<>(self, sources, EventTimeOrder.IdleSources.STEP_ASIDE,
        new StoreTable<>(context.getStateStore(LedgerTopology.HELD_WORKLOAD_CHANGES_STORE)),
        new StoreTable<>(context.getStateStore(LedgerTopology.WORKLOAD_SOURCES_STORE)));
    this.late = LedgerTopology.lateChanges(context, LedgerTopology.WORKLOADS_STAGE);
  }

  @Override
  public void process(Record<String, WorkloadChange> record) {
    WorkloadChange move = record.value();
    if (move.getProgress() != null) {
      Progress before = order.passed();
      order.heard(move.getProgress()).forEach(turn -> apply(turn.time(), turn.subject(), turn.change()));
      Progress now = order.passed();
      if (!now.equals(before)) {
        context.forward(new Record<>(self, new NodeChange(now.getBefore(), self, now), now.getBefore().toEpochMilli()));
      }
      return;
    }
    if (order.hold(record.timestamp(), context.recordMetadata().orElseThrow().offset(), record.key(), move)) {
      late.increment();
    }
  }

  /** Applies a move; its flips are timestamped {@code time}, which never goes back. */
  private void apply(long time, String workload, WorkloadChange move) {
    stage.apply(workload, move, spreads, new Outbox() {
      @Override
      public void toWorkload(String other, WorkloadChange change) {
        throw new IllegalStateException("workload placements never send to workloads");
      }

      @Override
      public void toNode(String node, NodeChange change) {
        context.forward(new Record<>(node, change, time));
      }
    });
  }
}
