package org.bwledger.ledger.rules;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.event.TrafficSampled;

/**
 * The bounds an event keeps to enter the fold. An event can decode and still be absurd (a time
 * before 1970, a negative capacity, a name of 100,000 characters, a resync naming ten million
 * pods); checked here, before it touches any state, it is turned away whole with the reason, and the
 * fold never has to guard against it deep inside. The bounds are Kubernetes' own where it has them
 * (names, label values) and generous beyond anything ingest writes elsewhere.
 */
public final class EventBounds {

  /** The times the stores and the API can hold: epoch milliseconds from 1970 to the end of year 9999. */
  public static final Instant EARLIEST = Instant.EPOCH;
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  /** A DNS subdomain: pod and node names; a namespace is a DNS label, shorter still. */
  static final int NAME_LENGTH = 253;
  /** Uids, event ids, resource versions and annotation values: far beyond any Kubernetes writes. */
  static final int TOKEN_LENGTH = 1_024;
  /** Annotations or capacity hints an event carries: ingest keeps only the configured keys. */
  static final int MAP_ENTRIES = 64;
  /** Pod uids and node names in one resync chunk: ingest cuts chunks at 512 KiB, about 14,000 uids. */
  static final int RESYNC_CHUNK_ENTRIES = 100_000;
  /** Chunks of one resync: 10,000 of them name a billion pods. */
  static final int RESYNC_CHUNKS = 10_000;
  /** Interfaces one traffic sample may count: far beyond any node's physical ones. */
  static final int INTERFACES = 256;
  /** Mbit/s a capacity may name: 1 Pbit/s, the most a pod may ask for. */
  static final long MAX_MBPS = 1_000_000_000L;

  private EventBounds() {}

  /** Why {@code event} cannot enter the fold, or empty when it can. */
  public static Optional<String> violation(ClusterEvent event) {
    String problem = firstOf(
        time("observedAt", event.getObservedAt()),
        text("eventId", event.getEventId(), TOKEN_LENGTH),
        text("resourceVersion", event.getResourceVersion(), TOKEN_LENGTH),
        payload(event.getPayload()));
    return Optional.ofNullable(problem);
  }

  private static String payload(Object payload) {
    if (payload instanceof PodObserved pod) {
      return firstOf(pod(pod.getUid(), pod.getNamespace(), pod.getName(), pod.getNodeName()),
          annotations(pod.getBandwidthAnnotations()), owner(pod.getController()),
          text("podIp", pod.getPodIp(), TOKEN_LENGTH));
    }
    if (payload instanceof PodGone gone) {
      return pod(gone.getUid(), gone.getNamespace(), gone.getName(), gone.getNodeName());
    }
    if (payload instanceof PodAssumed assumed) {
      return firstOf(pod(assumed.getUid(), assumed.getNamespace(), assumed.getName(), assumed.getNodeName()),
          name("nodeName", assumed.getNodeName(), NAME_LENGTH), annotations(assumed.getBandwidthAnnotations()),
          owner(assumed.getController()), time("expiresAt", assumed.getExpiresAt()),
          text("assumedBy", assumed.getAssumedBy(), TOKEN_LENGTH));
    }
    if (payload instanceof NodeObserved node) {
      return firstOf(name("name", node.getName(), NAME_LENGTH), entries("capacityHints", node.getCapacityHints()));
    }
    if (payload instanceof NodeGone gone) {
      return name("name", gone.getName(), NAME_LENGTH);
    }
    if (payload instanceof CapacitySet capacity) {
      return firstOf(name("node", capacity.getNode(), NAME_LENGTH), capacity(capacity.getCapacity()));
    }
    if (payload instanceof Resync resync) {
      return resync(resync);
    }
    if (payload instanceof TrafficSampled sample) {
      return traffic(sample);
    }
    return "unknown payload " + (payload == null ? "null" : payload.getClass().getSimpleName());
  }

  private static String pod(CharSequence uid, CharSequence namespace, CharSequence name, CharSequence nodeName) {
    // The uid is what the fold keys a pod by; the rest only has to be of a sane length.
    return firstOf(name("uid", uid, TOKEN_LENGTH), text("namespace", namespace, 63), text("name", name, NAME_LENGTH),
        text("nodeName", nodeName, NAME_LENGTH));
  }

  private static String owner(Owner owner) {
    return owner == null ? null : firstOf(name("controller.kind", owner.getKind(), NAME_LENGTH),
        name("controller.name", owner.getName(), NAME_LENGTH), name("controller.uid", owner.getUid(), TOKEN_LENGTH));
  }

  private static String annotations(Map<? extends CharSequence, ? extends CharSequence> annotations) {
    String problem = entries("bandwidthAnnotations", annotations);
    if (problem != null) {
      return problem;
    }
    for (var annotation : annotations.entrySet()) {
      problem = text("an annotation key", annotation.getKey(), NAME_LENGTH);
      if (problem == null && tooLong(annotation.getValue(), TOKEN_LENGTH)) { // the label only when needed
        problem = text("annotation " + clip(annotation.getKey()), annotation.getValue(), TOKEN_LENGTH);
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String capacity(CapacitySpec spec) {
    if (spec == null) {
      return null;
    }
    return firstOf(mbps("capacity.localUlMbps", spec.getLocalUlMbps()),
        mbps("capacity.localDlMbps", spec.getLocalDlMbps()), mbps("capacity.networkUlMbps", spec.getNetworkUlMbps()),
        mbps("capacity.networkDlMbps", spec.getNetworkDlMbps()));
  }

  private static String resync(Resync resync) {
    int entries = resync.getPodUids().size() + resync.getNodeNames().size();
    if (resync.getChunkIndex() < 0 || resync.getChunkIndex() >= RESYNC_CHUNKS) {
      return "resync chunk " + resync.getChunkIndex() + " is outside [0, " + RESYNC_CHUNKS + ")";
    }
    if (entries > RESYNC_CHUNK_ENTRIES) {
      return "resync chunk names " + entries + " pods and nodes, more than " + RESYNC_CHUNK_ENTRIES;
    }
    return firstOf(text("resyncId", resync.getResyncId(), TOKEN_LENGTH),
        time("relistStartedAt", resync.getRelistStartedAt()), longest("podUids", resync.getPodUids(), TOKEN_LENGTH),
        longest("nodeNames", resync.getNodeNames(), NAME_LENGTH));
  }

  private static String traffic(TrafficSampled sample) {
    String problem = firstOf(name("node", sample.getNode(), NAME_LENGTH), time("sampledAt", sample.getSampledAt()),
        text("source", sample.getSource(), TOKEN_LENGTH));
    if (problem != null) {
      return problem;
    }
    if (sample.getInterfaces().size() > INTERFACES) {
      return "traffic sample counts " + sample.getInterfaces().size() + " interfaces, more than " + INTERFACES;
    }
    for (InterfaceCounters counters : sample.getInterfaces()) {
      problem = firstOf(name("an interface name", counters.getName(), NAME_LENGTH),
          counters.getTransmitBytes() < 0 || counters.getReceiveBytes() < 0
              ? "interface " + clip(counters.getName()) + " has a negative byte counter" : null);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static String time(String field, Instant time) {
    if (time == null || time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
      return field + " " + time + " is outside [" + EARLIEST + ", " + LATEST + "]";
    }
    return null;
  }

  private static String mbps(String field, Long mbps) {
    if (mbps != null && (mbps < 0 || mbps > MAX_MBPS)) {
      return field + " " + mbps + " is outside [0, " + MAX_MBPS + "] Mbit/s";
    }
    return null;
  }

  /** A name that must be there: not empty, and not longer than {@code length}. */
  private static String name(String field, CharSequence value, int length) {
    if (value == null || value.isEmpty()) {
      return field + " is empty";
    }
    return text(field, value, length);
  }

  private static String text(String field, CharSequence value, int length) {
    if (tooLong(value, length)) {
      return field + " has " + value.length() + " characters, more than " + length;
    }
    return null;
  }

  private static boolean tooLong(CharSequence value, int length) {
    return value != null && value.length() > length;
  }

  private static String entries(String field, Map<?, ?> map) {
    if (map != null && map.size() > MAP_ENTRIES) {
      return field + " has " + map.size() + " entries, more than " + MAP_ENTRIES;
    }
    return null;
  }

  private static String longest(String field, Collection<? extends CharSequence> values, int length) {
    for (CharSequence value : values) {
      if (tooLong(value, length)) {
        return text("one of " + field, value, length);
      }
    }
    return null;
  }

  /** A key as a reason quotes it: a long one is cut, so the reason stays one readable line. */
  private static String clip(CharSequence value) {
    return value.length() <= 64 ? value.toString() : value.subSequence(0, 64) + "…";
  }

  private static String firstOf(String... problems) {
    for (String problem : problems) {
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }
}
