package org.bwledger.ledger.topology;

import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bwledger.ledger.fold.ObservedObjects;
import org.bwledger.ledger.fold.Outbox;
import org.bwledger.ledger.rules.EventBounds;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.Progress;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ObservedObjects} on its state stores; forwards workload and node changes, re-keyed
 * and timestamped with the latest observed-at time of its partition so far, which never goes back:
 * later stages sort by it, and so keep each partition's order, as replay's merge of the log does.
 *
 * <p>It also tells the workload stage how far it has come ({@link ProgressPace}), so that stage can
 * take its input in event-time order ({@link EventTimeOrder}): after events, that it sent all
 * observed before the latest; when it has none left, that it is idle; and before its first event
 * after being idle (or after a start), that it counts again.
 *
 * <p>Kafka Streams does not tell a processor whether its partition has more to read, so "none left"
 * is judged by the wall clock: an interval without events once the latest is recent (caught up
 * with the cluster), or a longer quiet otherwise (a partition still being fetched, or one that has
 * nothing). The clock decides only when this is said; a wrong guess makes changes late, counted,
 * never lost.
 */
final class ObservedObjectsProcessor implements Processor<String, ClusterEvent, String, SpecificRecord> {

  private static final Logger log = LoggerFactory.getLogger(ObservedObjectsProcessor.class);

  /** What this task last told the workload stage. */
  private enum Said { NOTHING, ACTIVE, IDLE }

  private final ObservedObjects stage;
  private final ProgressPace pace;
  private ObservedObjects.Tables tables;
  private ProcessorContext<String, SpecificRecord> context;
  private String self;
  private long latest = -1;
  private long lastEventSeen;
  private boolean eventsSinceLastWord;
  private Said said = Said.NOTHING;

  ObservedObjectsProcessor(ObservedObjects stage, ProgressPace pace) {
    this.stage = stage;
    this.pace = pace;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.self = LedgerTopology.EVENTS_SOURCE + context.taskId().partition();
    this.lastEventSeen = context.currentSystemTimeMs();
    context.schedule(pace.every(), PunctuationType.WALL_CLOCK_TIME, this::tellProgress);
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
    if (said != Said.ACTIVE) {
      say(Math.max(latest, 0), false);
    }
    EventBounds.violation(record.value()).ifPresent(reason -> {
      throw new RejectedEvent(reason);
    });
    latest = Math.max(latest, record.value().getObservedAt().toEpochMilli());
    eventsSinceLastWord = true;
    lastEventSeen = context.currentSystemTimeMs();
    Record<String, ClusterEvent> inTurn = record.withTimestamp(latest);
    stage.apply(record.value(), tables, new Outbox() {
      @Override
      public void toWorkload(String workload, WorkloadChange change) {
        context.forward(inTurn.withKey(workload).<SpecificRecord>withValue(change));
      }

      @Override
      public void toNode(String node, NodeChange change) {
        context.forward(inTurn.withKey(node).<SpecificRecord>withValue(change));
      }
    });
  }

  private void tellProgress(long now) {
    if (eventsSinceLastWord) {
      say(latest, false);
    } else if (said != Said.IDLE && pace.noneLeft(latest, lastEventSeen, now)) {
      say(latest + 1, true);
    }
  }

  /** Tells every partition of the workload stage that all observed before {@code before} was sent. */
  private void say(long before, boolean idle) {
    Instant at = Instant.ofEpochMilli(before);
    context.forward(new Record<String, SpecificRecord>(self,
        new WorkloadChange(null, null, at, self, new Progress(self, at, idle)), before));
    said = idle ? Said.IDLE : Said.ACTIVE;
    eventsSinceLastWord = false;
  }
}
