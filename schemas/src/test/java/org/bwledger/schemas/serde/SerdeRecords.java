package org.bwledger.schemas.serde;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.Progress;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.state.NodeBandwidth;

/** The record types bwledger writes to Kafka: each has a schema history and golden bytes. */
final class SerdeRecords {

  static final List<Class<? extends SpecificRecord>> ALL =
      List.of(
          ClusterEvent.class,
          NodeBandwidth.class,
          WorkloadChange.class,
          WorkloadSpread.class,
          NodeChange.class,
          NodeSummary.class,
          Progress.class);

  private SerdeRecords() {}
}
