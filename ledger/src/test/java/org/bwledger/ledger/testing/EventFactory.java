package org.bwledger.ledger.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * Builds cluster events for tests, each observed one second after the previous (unless {@link #tie}
 * says otherwise), with ids that sort in the order they were made unless made with a {@link Random}.
 */
public final class EventFactory {

  public static final String EGRESS = "kubernetes.io/egress-bandwidth";
  public static final String INGRESS = "kubernetes.io/ingress-bandwidth";

  private static final Duration TICK = Duration.ofSeconds(1);

  private final Random ids;
  private Instant clock;
  private long sequence;
  private boolean tied;

  public EventFactory() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public EventFactory(Instant start) {
    this(start, null);
  }

  /**
   * Events whose ids sort in no particular order, as ingest's do ({@code run-9} sorts after
   * {@code run-10}, and a restarted ingest has a new run), drawn from {@code ids}.
   */
  public EventFactory(Instant start, Random ids) {
    this.clock = start;
    this.ids = ids;
  }

  /** The next event is observed at the same instant as the last one, as in a burst within a millisecond. */
  public EventFactory tie() {
    tied = sequence > 0;
    return this;
  }

  /** The time the next event will be observed at. */
  public Instant now() {
    return tied ? clock.minus(TICK) : clock;
  }

  /** A running pod. */
  public PodBuilder pod(String uid) {
    return new PodBuilder(uid);
  }

  public ClusterEvent podGone(String uid) {
    return event(new PodGone(uid, "", "", ""));
  }

  public ClusterEvent nodeObserved(String name) {
    return event(new NodeObserved(name, Map.of()));
  }

  public ClusterEvent nodeGone(String name) {
    return event(new NodeGone(name));
  }

  public ClusterEvent capacitySet(String node, CapacitySpec spec) {
    return event(new CapacitySet(node, spec));
  }

  /** A traffic source's sample of the node's counters, read at {@code sampledAt}. */
  public ClusterEvent trafficSampled(String node, Instant sampledAt, List<InterfaceCounters> interfaces) {
    return event(new TrafficSampled(node, sampledAt, "test-source", interfaces));
  }

  public ClusterEvent resyncChunk(String id, int index, boolean last, Instant relistStartedAt,
      List<String> podUids, List<String> nodeNames) {
    return event(new Resync(id, index, last, relistStartedAt, podUids, nodeNames));
  }

  private ClusterEvent event(Object payload) {
    Instant at = now();
    String id = ids == null ? String.format("e-%09d", sequence)
        : String.format("e-%04x-%d", ids.nextInt(1 << 16), sequence);
    sequence++;
    tied = false;
    clock = at.plus(TICK);
    return new ClusterEvent(id, at, "", payload);
  }

  /** A pod observation, running and unannotated until told otherwise. */
  public final class PodBuilder {
    private final PodObserved.Builder pod;
    private final Map<String, String> annotations = new TreeMap<>();

    private PodBuilder(String uid) {
      this.pod = PodObserved.newBuilder()
          .setUid(uid).setNamespace("lab").setName(uid).setNodeName("").setPhase("Running")
          .setDeletionRequested(false).setController(null).setPodIp(null);
    }

    public PodBuilder namespace(String namespace) {
      pod.setNamespace(namespace);
      return this;
    }

    public PodBuilder name(String name) {
      pod.setName(name);
      return this;
    }

    public PodBuilder on(String node) {
      pod.setNodeName(node);
      return this;
    }

    public PodBuilder phase(String phase) {
      pod.setPhase(phase);
      return this;
    }

    public PodBuilder deleting() {
      pod.setDeletionRequested(true);
      return this;
    }

    /** Controlled by a ReplicaSet of that uid. */
    public PodBuilder ownedBy(String controllerUid) {
      pod.setController(new Owner("ReplicaSet", "rs-" + controllerUid, controllerUid));
      return this;
    }

    public PodBuilder ip(String ip) {
      pod.setPodIp(ip);
      return this;
    }

    public PodBuilder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    public PodBuilder egress(String value) {
      return annotation(EGRESS, value);
    }

    public PodBuilder ingress(String value) {
      return annotation(INGRESS, value);
    }

    public ClusterEvent observed() {
      return event(pod.setBandwidthAnnotations(new TreeMap<>(annotations)).build());
    }

    /** A scheduler extender's assumption that the pod is on its node, standing for {@code timeout}. */
    public ClusterEvent assumed(Duration timeout) {
      return event(new PodAssumed(pod.getUid(), pod.getNamespace(), pod.getName(), pod.getNodeName(),
          new TreeMap<>(annotations), pod.getController(), clock.plus(timeout), "test-extender"));
    }
  }
}
