package org.bwledger.ledger.fold;

import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.bwledger.ledger.rules.AnnotationParser;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.rules.PodStanding;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.PresenceChange;
import org.bwledger.schemas.ledger.ReservationChange;
import org.bwledger.schemas.ledger.SpecChange;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage of the fold, keyed as {@code bw.cluster-events} is (pod uid, node name): remembers the
 * last observation of every pod and node and turns each event into what changed for the pod's
 * workload and for nodes. An event costs a constant number of table updates and at most two
 * messages per downstream stage.
 */
public final class ObservedObjects {

  private static final Logger log = LoggerFactory.getLogger(ObservedObjects.class);

  private final AnnotationParser parser;

  public ObservedObjects(LedgerRules rules) {
    this.parser = new AnnotationParser(rules.annotationKeys());
  }

  /**
   * The tables this stage keeps.
   *
   * @param pods last {@link PodObserved} event per pod uid
   * @param nodes last {@link NodeObserved} event per node name
   * @param resyncChunks chunks of the resync under way, by {@code resyncId#chunkIndex}
   */
  public record Tables(
      StateTable<ClusterEvent> pods, StateTable<ClusterEvent> nodes, StateTable<ClusterEvent> resyncChunks) {}

  /** Applies one event of {@code bw.cluster-events}. */
  public void apply(ClusterEvent event, Tables tables, Outbox out) {
    Object payload = event.getPayload();
    if (payload instanceof PodObserved pod) {
      PodStanding before = standing(tables.pods().get(pod.getUid()));
      tables.pods().put(pod.getUid(), event);
      report(pod.getUid(), before, PodStanding.of(pod, parser), event, out);
    } else if (payload instanceof PodGone gone) {
      retirePod(gone.getUid(), tables.pods().get(gone.getUid()), tables, event, out);
    } else if (payload instanceof NodeObserved node) {
      boolean known = tables.nodes().get(node.getName()) != null;
      tables.nodes().put(node.getName(), event);
      if (!known) {
        out.toNode(node.getName(), change(event, new PresenceChange(true)));
      }
    } else if (payload instanceof NodeGone gone) {
      retireNode(gone.getName(), tables, event, out);
    } else if (payload instanceof CapacitySet capacity) {
      out.toNode(capacity.getNode(), change(event, new SpecChange(capacity.getCapacity())));
    } else if (payload instanceof Resync resync) {
      collect(resync, tables, event, out);
    } else {
      throw new IllegalArgumentException("unknown payload " + payload.getClass().getName());
    }
  }

  private PodStanding standing(ClusterEvent lastObserved) {
    return lastObserved == null ? PodStanding.ABSENT : PodStanding.of((PodObserved) lastObserved.getPayload(), parser);
  }

  private void retirePod(String uid, ClusterEvent lastObserved, Tables tables, ClusterEvent cause, Outbox out) {
    PodStanding before = standing(lastObserved);
    tables.pods().put(uid, null);
    report(uid, before, PodStanding.ABSENT, cause, out);
  }

  private static void retireNode(String name, Tables tables, ClusterEvent cause, Outbox out) {
    tables.nodes().put(name, null);
    out.toNode(name, change(cause, new PresenceChange(false)));
  }

  /** Sends what differs between two standings of one pod: its place among siblings, its reservation. */
  private static void report(String uid, PodStanding before, PodStanding after, ClusterEvent cause, Outbox out) {
    if (Objects.equals(before.workload(), after.workload())) {
      if (after.workload() != null && !Objects.equals(before.placement(), after.placement())) {
        out.toWorkload(after.workload(), move(cause, before.placement(), after.placement()));
      }
    } else {
      if (before.workload() != null && before.placement() != null) {
        out.toWorkload(before.workload(), move(cause, before.placement(), null));
      }
      if (after.workload() != null && after.placement() != null) {
        out.toWorkload(after.workload(), move(cause, null, after.placement()));
      }
    }

    String fromNode = before.reservationNode();
    String toNode = after.reservationNode();
    if (fromNode != null && !fromNode.equals(toNode)) {
      out.toNode(fromNode, change(cause, new ReservationChange(uid, null)));
    }
    if (toNode != null && !(toNode.equals(fromNode) && after.reservation().equals(before.reservation()))) {
      out.toNode(toNode, change(cause, new ReservationChange(uid, after.reservation())));
    }
  }

  /**
   * Keeps a resync's chunks until the last one arrives, then retires every pod and node that was
   * last observed before the relist began and is not in it. Every chunk is in every partition, so
   * each task sees the whole sequence and retires from its own tables only.
   */
  private void collect(Resync chunk, Tables tables, ClusterEvent event, Outbox out) {
    StateTable<ClusterEvent> chunks = tables.resyncChunks();
    if (chunk.getChunkIndex() == 0) {
      clear(chunks); // a new relist abandons any earlier, unfinished one
    }
    chunks.put(chunkKey(chunk.getResyncId(), chunk.getChunkIndex()), event);
    if (!chunk.getLastChunk()) {
      return;
    }
    Set<String> livePods = new HashSet<>();
    Set<String> liveNodes = new HashSet<>();
    for (int i = 0; i <= chunk.getChunkIndex(); i++) {
      ClusterEvent part = chunks.get(chunkKey(chunk.getResyncId(), i));
      if (part == null) {
        log.warn("Resync {} is missing chunk {} of {}; ignoring it", chunk.getResyncId(), i, chunk.getChunkIndex() + 1);
        clear(chunks);
        return;
      }
      Resync resync = (Resync) part.getPayload();
      livePods.addAll(resync.getPodUids());
      liveNodes.addAll(resync.getNodeNames());
    }
    clear(chunks);

    Instant relistStart = chunk.getRelistStartedAt();
    int pods = 0;
    for (var pod : tables.pods().scan("").entrySet()) {
      if (!livePods.contains(pod.getKey()) && pod.getValue().getObservedAt().isBefore(relistStart)) {
        retirePod(pod.getKey(), pod.getValue(), tables, event, out);
        pods++;
      }
    }
    int nodes = 0;
    for (var node : tables.nodes().scan("").entrySet()) {
      if (!liveNodes.contains(node.getKey()) && node.getValue().getObservedAt().isBefore(relistStart)) {
        retireNode(node.getKey(), tables, event, out);
        nodes++;
      }
    }
    log.info("Resync {} complete: retired {} pods and {} nodes missing from the relist", chunk.getResyncId(), pods, nodes);
  }

  private static void clear(StateTable<ClusterEvent> chunks) {
    chunks.scan("").keySet().forEach(key -> chunks.put(key, null));
  }

  private static String chunkKey(String resyncId, int index) {
    return resyncId + "#" + index;
  }

  private static WorkloadChange move(ClusterEvent cause, String from, String to) {
    return new WorkloadChange(from, to, cause.getObservedAt(), cause.getEventId());
  }

  private static NodeChange change(ClusterEvent cause, Object change) {
    return new NodeChange(cause.getObservedAt(), cause.getEventId(), change);
  }
}
