package org.bwledger.schemas.topic;

import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.event.TrafficSampled;

/**
 * The key of an event on {@code bw.cluster-events} (DESIGN §3): the pod uid for pod events, the node
 * name for node events and traffic samples, so each object's events stay in order on one partition. A resync chunk is
 * written to every partition; its key is the resync id.
 */
public final class ClusterEventKey {

  private ClusterEventKey() {}

  public static String of(ClusterEvent event) {
    Object payload = event.getPayload();
    if (payload instanceof PodObserved pod) {
      return pod.getUid();
    } else if (payload instanceof PodGone gone) {
      return gone.getUid();
    } else if (payload instanceof PodAssumed assumed) {
      return assumed.getUid();
    } else if (payload instanceof NodeObserved node) {
      return node.getName();
    } else if (payload instanceof NodeGone gone) {
      return gone.getName();
    } else if (payload instanceof CapacitySet capacity) {
      return capacity.getNode();
    } else if (payload instanceof Resync resync) {
      return resync.getResyncId();
    } else if (payload instanceof TrafficSampled sample) {
      return sample.getNode();
    }
    throw new IllegalArgumentException("unknown payload " + payload.getClass().getName());
  }
}
