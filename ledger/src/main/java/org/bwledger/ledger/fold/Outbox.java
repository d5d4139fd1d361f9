package org.bwledger.ledger.fold;

import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.WorkloadChange;

/** Where a fold stage sends what the next stages must learn, keyed as they are partitioned. */
public interface Outbox {

  void toWorkload(String workload, WorkloadChange change);

  void toNode(String node, NodeChange change);
}
