package org.bwledger.ledger.fold;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bwledger.ledger.rules.AnnotationParser;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.rules.PodStanding;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.event.TrafficSampled;
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
 *
 * <p>A scheduler extender's {@link PodAssumed} places a pod on a node before ingest sees it there.
 * The assumption stands until ingest observes the pod on a node or ended, the pod is gone, or its
 * deadline passes: the first event of the partition observed at or after the deadline releases it.
 * Time here is the events' own, so a replay releases at the same point of the log.
 */
public final class ObservedObjects {

  private static final Logger log = LoggerFactory.getLogger(ObservedObjects.class);

  private static final String LAST_UID = String.valueOf(Character.MAX_VALUE);
  private static final String PADDING = "0".repeat(19);

  private final AnnotationParser parser;
  private final FoldNotices notices;

  /** @param notices where the stage's notices go: the log, or a replay's tally */
  public ObservedObjects(LedgerRules rules, FoldNotices notices) {
    this.parser = new AnnotationParser(rules.annotationKeys());
    this.notices = notices;
  }

  /**
   * The tables this stage keeps.
   *
   * @param pods last {@link PodObserved} event per pod uid
   * @param nodes last {@link NodeObserved} event per node name
   * @param resyncChunks chunks of the resync under way, by {@code resyncId#chunkIndex}
   * @param assumptions standing {@link PodAssumed} event per pod uid
   * @param deadlines the uid of each standing assumption, by {@code deadline/uid} (time ordered)
   */
  public record Tables(
      StateTable<ClusterEvent> pods, StateTable<ClusterEvent> nodes, StateTable<ClusterEvent> resyncChunks,
      StateTable<ClusterEvent> assumptions, StateTable<String> deadlines) {}

  /** Applies one event of {@code bw.cluster-events}. */
  public void apply(ClusterEvent event, Tables tables, Outbox out) {
    releaseExpired(event, tables, out);
    Object payload = event.getPayload();
    if (payload instanceof PodObserved pod) {
      observe(pod, tables, event, out);
    } else if (payload instanceof PodGone gone) {
      retirePod(gone.getUid(), tables, event, out);
    } else if (payload instanceof PodAssumed assumed) {
      assume(assumed, tables, event, out);
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
    } else if (payload instanceof TrafficSampled sample) {
      out.toNode(sample.getNode(), change(event, sample));
    } else {
      throw new IllegalArgumentException("unknown payload " + payload.getClass().getName());
    }
  }

  /** What a pod means now: its standing assumption if it has one, else its last observation. */
  private PodStanding standing(String uid, Tables tables) {
    ClusterEvent assumed = tables.assumptions().get(uid);
    if (assumed != null) {
      return PodStanding.assumed((PodAssumed) assumed.getPayload(), parser);
    }
    ClusterEvent observed = tables.pods().get(uid);
    return observed == null ? PodStanding.ABSENT : PodStanding.of((PodObserved) observed.getPayload(), parser);
  }

  /**
   * Takes ingest's observation of a pod. Its standing after is the observation's own, made from the
   * pod in hand rather than read back from the table, unless an extender's assumption about it still
   * stands: then the assumption counted before and counts after, and nothing changes.
   */
  private void observe(PodObserved pod, Tables tables, ClusterEvent event, Outbox out) {
    String uid = pod.getUid();
    PodStanding before = standing(uid, tables);
    tables.pods().put(uid, event);
    if (PodStanding.awaitsNode(pod) && tables.assumptions().get(uid) != null) {
      return;
    }
    forgetAssumption(uid, tables);
    report(uid, before, PodStanding.of(pod, parser), event, out);
  }

  private void retirePod(String uid, Tables tables, ClusterEvent cause, Outbox out) {
    PodStanding before = standing(uid, tables);
    tables.pods().put(uid, null);
    forgetAssumption(uid, tables);
    report(uid, before, PodStanding.ABSENT, cause, out);
  }

  /**
   * Places the pod where the extender bound it, unless ingest already saw it on a node or ended (the
   * bind and ingest race; what ingest saw is the truth) or the assumption expired on its way.
   */
  private void assume(PodAssumed assumed, Tables tables, ClusterEvent event, Outbox out) {
    String uid = assumed.getUid();
    ClusterEvent observed = tables.pods().get(uid);
    if (observed != null && !PodStanding.awaitsNode((PodObserved) observed.getPayload())) {
      log.debug("Pod {}/{} was seen placed before its assumption on {} arrived; keeping what was seen",
          assumed.getNamespace(), assumed.getName(), assumed.getNodeName());
      return;
    }
    if (!event.getObservedAt().isBefore(assumed.getExpiresAt())) {
      return;
    }
    PodStanding before = standing(uid, tables);
    forgetAssumption(uid, tables);
    tables.assumptions().put(uid, event);
    tables.deadlines().put(deadlineKey(assumed.getExpiresAt(), uid), uid);
    report(uid, before, PodStanding.assumed(assumed, parser), event, out);
  }

  /** Releases every assumption whose deadline {@code cause} reached: the pod never showed up in time. */
  private void releaseExpired(ClusterEvent cause, Tables tables, Outbox out) {
    for (String uid : tables.deadlines().upTo(deadlineKey(cause.getObservedAt(), LAST_UID)).values()) {
      PodAssumed assumed = (PodAssumed) tables.assumptions().get(uid).getPayload();
      PodStanding before = standing(uid, tables);
      forgetAssumption(uid, tables);
      report(uid, before, standing(uid, tables), cause, out);
      notices.assumptionReleased(assumed);
    }
  }

  private static void forgetAssumption(String uid, Tables tables) {
    ClusterEvent assumed = tables.assumptions().get(uid);
    if (assumed != null) {
      tables.assumptions().put(uid, null);
      tables.deadlines().put(deadlineKey(((PodAssumed) assumed.getPayload()).getExpiresAt(), uid), null);
    }
  }

  /**
   * Sorts by time as strings sort: epoch millis, zero-padded to the 19 digits of any long. Made once
   * per event, so without String.format.
   */
  private static String deadlineKey(Instant deadline, String uid) {
    String millis = Long.toString(deadline.toEpochMilli());
    return PADDING.substring(millis.length()) + millis + "/" + uid;
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
        notices.resyncIncomplete(chunk.getResyncId(), i, chunk.getChunkIndex() + 1);
        clear(chunks);
        return;
      }
      Resync resync = (Resync) part.getPayload();
      livePods.addAll(resync.getPodUids());
      liveNodes.addAll(resync.getNodeNames());
    }
    clear(chunks);

    Instant relistStart = chunk.getRelistStartedAt();
    Set<String> stalePods = new LinkedHashSet<>(missingSince(tables.pods(), livePods, relistStart));
    stalePods.addAll(missingSince(tables.assumptions(), livePods, relistStart));
    List<String> staleNodes = missingSince(tables.nodes(), liveNodes, relistStart);
    stalePods.forEach(uid -> retirePod(uid, tables, event, out));
    staleNodes.forEach(node -> retireNode(node, tables, event, out));
    notices.resyncCompleted(chunk.getResyncId(), stalePods.size(), staleNodes.size());
  }

  /** The keys of {@code table} whose object was last seen before the relist began and is not in it. */
  private static List<String> missingSince(StateTable<ClusterEvent> table, Set<String> live, Instant relistStart) {
    return table.scan("").entrySet().stream()
        .filter(entry -> !live.contains(entry.getKey()) && entry.getValue().getObservedAt().isBefore(relistStart))
        .map(Map.Entry::getKey)
        .toList();
  }

  private static void clear(StateTable<ClusterEvent> chunks) {
    chunks.scan("").keySet().forEach(key -> chunks.put(key, null));
  }

  private static String chunkKey(String resyncId, int index) {
    return resyncId + "#" + index;
  }

  private static WorkloadChange move(ClusterEvent cause, String from, String to) {
    return new WorkloadChange(from, to, cause.getObservedAt(), cause.getEventId(), null);
  }

  private static NodeChange change(ClusterEvent cause, Object change) {
    return new NodeChange(cause.getObservedAt(), cause.getEventId(), change);
  }
}
