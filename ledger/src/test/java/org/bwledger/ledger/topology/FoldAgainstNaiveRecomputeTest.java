package org.bwledger.ledger.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.AnnotationParser;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.testing.LedgerDriver;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.PlacementCount;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random histories through {@link LocalFold} (which replay uses) and the topology, each
 * node compared with a deliberately naive recompute from the pods, nodes and specs of the cluster:
 * no increments, no stages, just DESIGN §4 read literally.
 *
 * <p>Replay is checked after every event: books, the ledger position and since when a node is
 * oversubscribed. The topology is checked at the end: what it published, and what its stores keep
 * (each node's summary, each workload's spread), which must be exactly what the cluster implies,
 * nothing left behind; its chunks of a relist under way, after every chunk.
 *
 * <p>Each history lives in its own universe (its names carry its number), so one fold runs them
 * all. Capacities are sums of the requests, so nodes fill exactly. Events come in bursts that share
 * an instant, with ids in no order, as ingest's are. Some histories end with pods whose delete was
 * never seen and a relist listing what is live in every universe; some relists are abandoned, lose
 * a chunk or are left unfinished. Scheduler extenders' assumptions come and go among the
 * observations: one stands at the end if nothing superseded it and its deadline is after the last
 * event of all.
 */
class FoldAgainstNaiveRecomputeTest {

  /** Mutation testing reruns the test for every mutant, with fewer (see the ledger's {@code mutation} profile). */
  private static final int HISTORIES = Integer.getInteger("bwledger.oracle.histories", 1_500);
  private static final int EVENTS_PER_HISTORY = 40;
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> PHASES = List.of("Running", "Running", "Running", "Pending", "Succeeded", "Failed");
  private static final List<String> VALUES = List.of("100M", "250M", "1G", "1500k", "100Mi", "999", "abc", "20");
  private static final List<Long> CAPACITIES = List.of(250L, 500L, 1_000L, 30_000L);
  private static final List<String> KEYS = List.of(
      "kubernetes.io/egress-bandwidth", "kubernetes.io/ingress-bandwidth",
      "ovn.kubernetes.io/egress_rate", "ovn.kubernetes.io/ingress_rate");
  private static final List<String> DIMENSIONS = List.of("local-ul", "local-dl", "network-ul", "network-dl");
  private static final long[] DEFAULT_CAPACITY = {20_000, 20_000, 1_000, 1_000};

  private final AnnotationParser parser = new AnnotationParser(LedgerRules.DEFAULT.annotationKeys());
  private final Map<String, Universe> universes = new LinkedHashMap<>();
  /** The chunk keys of the relist under way, if one is: the same in every universe's tables. */
  private final Set<String> relistUnderWay = new TreeSet<>();

  @Test
  void afterEveryEventReplayHoldsWhatTheClusterThenImplies() {
    EventFactory events = new EventFactory(START, new Random(-1));
    LocalFold local = new LocalFold(LedgerRules.DEFAULT);
    int[] filledExactly = new int[DIMENSIONS.size()];
    Map<String, Integer> traffic = new TreeMap<>();
    for (int h = 0; h < HISTORIES; h++) {
      Universe universe = universe(h);
      universe.generate(events, event -> {
        local.apply(event);
        universe.follow(event);
        for (String node : universe.nodeNames()) {
          Expected expected = universe.published(node);
          assertThat(view(local.published(node))).as("%s after %s", node, event).isEqualTo(expected);
          for (int d = 0; expected != null && d < DIMENSIONS.size(); d++) {
            filledExactly[d] += expected.remaining().get(d) == 0 && expected.used().get(d) > 0 ? 1 : 0;
          }
          if (expected != null && expected.traffic() != null && event.getPayload() instanceof TrafficSampled) {
            traffic.merge(expected.traffic().startsWith("measured=unknown") ? "unknown" : "measured", 1, Integer::sum);
          }
        }
      });
    }
    assertThat(filledExactly).as("states with a dimension exactly full, by dimension").doesNotContain(0);
    assertThat(traffic).as("samples leaving a node's traffic measured, or unknown").containsOnlyKeys("measured", "unknown")
        .allSatisfy((state, count) -> assertThat(count).isGreaterThan(100));
  }

  @Test
  void theTopologyAndReplayEndWithWhatTheFinalClusterImpliesAndKeepNothingMore() {
    EventFactory events = new EventFactory(START, new Random(-1));
    LocalFold local = new LocalFold(LedgerRules.DEFAULT);
    try (LedgerDriver ledger = new LedgerDriver()) {
      for (int h = 0; h < HISTORIES; h++) {
        universe(h).generate(events, event -> {
          local.apply(event);
          ledger.send(event);
          if (event.getPayload() instanceof Resync) {
            assertThat(ledger.<ClusterEvent>store(LedgerTopology.RESYNC_CHUNKS_STORE).keySet())
                .as("chunks kept after %s", event).isEqualTo(relistUnderWay);
          }
        });
      }
      Instant end = events.now().minusSeconds(1);

      SortedMap<String, NodeBandwidth> published = ledger.nodes();
      SortedMap<String, NodeBandwidth> replayed = local.published();
      SortedMap<String, Books> books = new TreeMap<>();
      SortedMap<String, List<PlacementCount>> spreads = new TreeMap<>();
      for (Universe universe : universes.values()) {
        SortedMap<String, Expected> expected = new TreeMap<>();
        for (String node : universe.nodeNames()) {
          Books b = universe.books(node, end);
          if (b.kept()) {
            books.put(node, b);
          }
          if (b.present()) {
            expected.put(node, b.published(null, null, null));
          }
        }
        assertThat(view(published, universe.prefix)).as("topology, history %s", universe.prefix).isEqualTo(expected);
        assertThat(view(replayed, universe.prefix)).as("local fold, history %s", universe.prefix).isEqualTo(expected);
        spreads.putAll(universe.spreads(end));
      }

      SortedMap<String, NodeSummary> summaries = ledger.store(LedgerTopology.NODE_SUMMARIES_STORE);
      assertThat(summaries.keySet()).as("nodes with books").isEqualTo(books.keySet());
      summaries.forEach((node, summary) -> assertThat(new Summary(summary.getPresent(), summary.getSpec(),
          summary.getLinkLocalWorkloads(), summary.getReservations()))
          .as(node).isEqualTo(books.get(node).summary()));
      SortedMap<String, WorkloadSpread> kept = ledger.store(LedgerTopology.WORKLOAD_SPREADS_STORE);
      assertThat(new TreeMap<>(kept.entrySet().stream().collect(Collectors.toMap(
          Map.Entry::getKey, e -> e.getValue().getPlacements())))).as("workload spreads").isEqualTo(spreads);
    }
  }

  private Universe universe(int h) {
    Universe universe = new Universe("h" + h + "-", new Random(h), new Random(-h - 1));
    universes.put(universe.prefix, universe);
    return universe;
  }

  /**
   * What is published for a node: everything the cluster determines, and when it last changed.
   *
   * @param updatedAt and {@code lastEventId}, {@code oversubscribedSince}: null where only the
   *     final cluster is known, not its history
   */
  record Expected(List<Long> capacity, List<Long> used, List<Long> remaining, List<String> oversubscribed,
      Instant oversubscribedSince, List<String> reservations, Instant updatedAt, String lastEventId, String traffic) {}

  private static Expected view(NodeBandwidth n) {
    return n == null ? null : new Expected(
        List.of(n.getCapacity().getLocalUlMbps(), n.getCapacity().getLocalDlMbps(),
            n.getCapacity().getNetworkUlMbps(), n.getCapacity().getNetworkDlMbps()),
        List.of(n.getUsed().getLocalUlMbps(), n.getUsed().getLocalDlMbps(),
            n.getUsed().getNetworkUlMbps(), n.getUsed().getNetworkDlMbps()),
        List.of(n.getRemaining().getLocalUlMbps(), n.getRemaining().getLocalDlMbps(),
            n.getRemaining().getNetworkUlMbps(), n.getRemaining().getNetworkDlMbps()),
        n.getOversubscribed(),
        n.getOversubscribedSince(),
        n.getReservations().stream().map(r -> String.join(" ", r.getNamespace(), r.getPodName(), r.getPodUid(),
            r.getController() == null ? "-" : r.getController().getUid(), r.getState().name(),
            "ul=" + r.getUlMbps(), "dl=" + r.getDlMbps(), "local=" + r.getLinkLocal(),
            String.valueOf(r.getReason()))).toList(),
        n.getUpdatedAt(), n.getLastEventId(), traffic(n.getTraffic()));
  }

  private static String traffic(Traffic t) {
    return t == null ? null : String.join(" ", figures("measured", t.getMeasured()), "at=" + t.getMeasuredAt(),
        "over=" + t.getIntervalMillis(), figures("utilisation", t.getUtilisation()), figures("drift", t.getDrift()),
        figures("headroom", t.getHeadroom()));
  }

  private static String figures(String name, TrafficFigures f) {
    return name + "=" + (f == null ? "unknown" : f.getUl() + "/" + f.getDl());
  }

  /** The final view: what the end state determines, without the history-dependent fields. */
  private static SortedMap<String, Expected> view(SortedMap<String, NodeBandwidth> nodes, String prefix) {
    SortedMap<String, Expected> view = new TreeMap<>();
    nodes.subMap(prefix, prefix + Character.MAX_VALUE).forEach((name, n) -> {
      Expected e = view(n);
      view.put(name, new Expected(e.capacity(), e.used(), e.remaining(), e.oversubscribed(), null, e.reservations(),
          null, null, e.traffic()));
    });
    return view;
  }

  /**
   * A node's books as the cluster determines them.
   *
   * @param linkLocal the workloads whose every live pod stands on the node
   * @param reservations one line per pod holding a reservation there
   * @param used local-ul, local-dl, network-ul, network-dl, as {@code capacity}
   */
  record Books(boolean present, CapacitySpec spec, List<String> linkLocal, List<String> reservations,
      List<Long> capacity, List<Long> used, Measured measured) {

    static final Books NONE = new Books(false, null, List.of(), List.of(), List.of(), List.of(0L, 0L, 0L, 0L), null);

    Summary summary() {
      return new Summary(present, spec, linkLocal, reservations.size());
    }

    /** Whether the ledger keeps books for the node at all: one gone with nothing left on it is forgotten. */
    boolean kept() {
      return present || spec != null || !linkLocal.isEmpty() || !reservations.isEmpty();
    }

    List<Long> remaining() {
      List<Long> remaining = new ArrayList<>();
      for (int d = 0; d < DIMENSIONS.size(); d++) {
        remaining.add((capacity.isEmpty() ? DEFAULT_CAPACITY[d] : capacity.get(d)) - used.get(d));
      }
      return remaining;
    }

    List<String> oversubscribed() {
      List<Long> remaining = remaining();
      List<String> oversubscribed = new ArrayList<>();
      for (int d = 0; d < DIMENSIONS.size(); d++) {
        if (remaining.get(d) < 0) {
          oversubscribed.add(DIMENSIONS.get(d));
        }
      }
      return oversubscribed;
    }

    Expected published(Instant oversubscribedSince, Instant updatedAt, String lastEventId) {
      return new Expected(capacity, used, remaining(), oversubscribed(), oversubscribedSince, reservations, updatedAt,
          lastEventId, traffic());
    }

    /** Measured traffic beside the network figures, as DESIGN §4 defines each. */
    private String traffic() {
      if (measured == null) {
        return null;
      }
      String at = "at=" + measured.sampledAt();
      if (measured.ul() == null) {
        return String.join(" ", "measured=unknown", at, "over=0", "utilisation=unknown", "drift=unknown",
            "headroom=unknown");
      }
      double ul = measured.ul();
      double dl = measured.dl();
      return String.join(" ", "measured=" + ul + "/" + dl, at, "over=" + measured.millis(),
          "utilisation=" + (capacity.get(2) == 0 ? 0.0 : ul / capacity.get(2)) + "/"
              + (capacity.get(3) == 0 ? 0.0 : dl / capacity.get(3)),
          "drift=" + (ul - used.get(2)) + "/" + (dl - used.get(3)),
          "headroom=" + (capacity.get(2) - Math.max(used.get(2), ul)) + "/" + (capacity.get(3) - Math.max(used.get(3), dl)));
    }
  }

  /**
   * A node's measured traffic: the rate between its last two samples, null (unknown) when they are
   * more than a minute apart, a counter went back or they share no interface.
   */
  record Measured(Instant sampledAt, Double ul, Double dl, long millis) {}

  /** A traffic sample the fold took: when, and each interface's counters. */
  private record Sample(Instant at, Map<String, long[]> counters) {}

  /** What the ledger's summary of a node records: the books without the reservations themselves. */
  record Summary(boolean present, CapacitySpec spec, List<String> linkLocal, int reservations) {}

  /** When the books of a node last changed, and since when it has been oversubscribed. */
  private record Marks(Instant updatedAt, String lastEventId, Instant oversubscribedSince) {}

  /** One random history, and the truth it leaves behind. */
  private final class Universe {
    final String prefix;
    final Random random;
    /** Traffic samples draw from their own stream, so the pods' and nodes' histories stay as they were. */
    final Random traffic;
    final Map<String, PodObserved> pods = new HashMap<>();
    final Set<String> nodes = new TreeSet<>();
    final Map<String, CapacitySpec> specs = new HashMap<>();
    final Map<String, PodAssumed> assumed = new HashMap<>();
    final Map<String, Books> followed = new HashMap<>();
    final Map<String, Marks> marks = new HashMap<>();
    final Map<String, Books> released = new HashMap<>();
    /** The last two samples taken of each present node, newest last. */
    final Map<String, List<Sample>> samples = new HashMap<>();
    /** Each node's counters as its source would read them now. */
    final Map<String, Map<String, long[]>> counters = new HashMap<>();
    int relists;

    Universe(String prefix, Random random, Random traffic) {
      this.prefix = prefix;
      this.random = random;
      this.traffic = traffic;
    }

    List<String> nodeNames() {
      return List.of(prefix + "n0", prefix + "n1", prefix + "n2");
    }

    /** Makes the history, handing each event on once this universe holds what it did. */
    void generate(EventFactory events, Consumer<ClusterEvent> sink) {
      for (int i = 0; i < EVENTS_PER_HISTORY; i++) {
        if (random.nextInt(4) == 0) {
          events.tie();
        }
        expireAt(events.now());
        sink.accept(next(events));
        if (traffic.nextInt(3) == 0) { // sampled at the instant of the event before: no later event moves
          events.tie();
          expireAt(events.now());
          sink.accept(sample(events, prefix + "n" + traffic.nextInt(3)));
        }
      }
      switch (random.nextInt(12)) {
        case 0 -> relist(events, sink);
        case 1 -> { // abandoned after its first chunk (ingest restarted), then done again
          firstChunk(events, sink, livePods(), relistStartedAt(events));
          relist(events, sink);
        }
        case 2 -> { // its middle chunk lost: the fold must ignore it, then done again
          Instant startedAt = relistStartedAt(events);
          List<String> live = livePods();
          firstChunk(events, sink, live, startedAt);
          expireAt(events.now());
          chunk(events, sink, relistId(), 2, true, startedAt, live, List.of());
          relist(events, sink);
        }
        case 3 -> firstChunk(events, sink, livePods(), relistStartedAt(events)); // under way when the history ends
        default -> { }
      }
    }

    /**
     * Ingest was down: some deletes were never seen. A relist tells what is live; the pods and
     * nodes missing from it are retired when its last chunk arrives.
     */
    private void relist(EventFactory events, Consumer<ClusterEvent> sink) {
      Set<String> missedPods = new TreeSet<>(pods.keySet());
      missedPods.removeIf(uid -> random.nextInt(3) > 0);
      Set<String> missedNodes = new TreeSet<>(nodes);
      missedNodes.removeIf(node -> random.nextInt(4) > 0);
      List<String> livePods = livePods();
      livePods.removeAll(missedPods);
      List<String> liveNodes = new ArrayList<>();
      universes.values().forEach(u -> liveNodes.addAll(u.nodes));
      liveNodes.removeAll(missedNodes);

      Instant startedAt = relistStartedAt(events);
      int half = livePods.size() / 2;
      firstChunk(events, sink, livePods.subList(0, half), startedAt);
      expireAt(events.now());
      pods.keySet().removeAll(missedPods);
      nodes.removeAll(missedNodes);
      samples.keySet().removeAll(missedNodes);
      for (Universe u : universes.values()) {
        u.assumed.keySet().retainAll(u.pods.keySet()); // assumed before the relist began, and not in it
      }
      chunk(events, sink, relistId(), 1, true, startedAt, livePods.subList(half, livePods.size()), liveNodes);
    }

    private List<String> livePods() {
      List<String> live = new ArrayList<>();
      universes.values().forEach(u -> live.addAll(u.pods.keySet()));
      return live;
    }

    private Instant relistStartedAt(EventFactory events) {
      relists++;
      return events.now();
    }

    private String relistId() {
      return prefix + "relist-" + relists;
    }

    private void firstChunk(EventFactory events, Consumer<ClusterEvent> sink, List<String> pods, Instant startedAt) {
      relistUnderWay.clear();
      expireAt(events.now());
      chunk(events, sink, relistId(), 0, false, startedAt, pods, List.of());
    }

    private void chunk(EventFactory events, Consumer<ClusterEvent> sink, String id, int index, boolean last,
        Instant startedAt, List<String> pods, List<String> nodes) {
      relistUnderWay.add(id + "#" + index);
      if (last) {
        relistUnderWay.clear();
      }
      sink.accept(events.resyncChunk(id, index, last, startedAt, pods, nodes));
    }

    private ClusterEvent next(EventFactory events) {
      String node = prefix + "n" + random.nextInt(3);
      int dice = random.nextInt(20);
      if (dice == 0) {
        nodes.remove(node);
        samples.remove(node);
        return events.nodeGone(node);
      }
      if (dice <= 2) {
        nodes.add(node);
        return events.nodeObserved(node);
      }
      if (dice == 3) {
        CapacitySpec spec = random.nextInt(4) == 0 ? null
            : new CapacitySpec(maybeCapacity(), maybeCapacity(), maybeCapacity(), maybeCapacity());
        specs.put(node, spec);
        return events.capacitySet(node, spec);
      }
      String uid = prefix + "p" + random.nextInt(8);
      if (dice <= 5) {
        pods.remove(uid);
        assumed.remove(uid);
        return events.podGone(uid);
      }
      EventFactory.PodBuilder pod = events.pod(uid)
          .namespace(random.nextInt(4) == 0 ? "b" : "a")
          .name("pod-" + random.nextInt(5))
          .phase(PHASES.get(random.nextInt(PHASES.size())));
      if (random.nextInt(5) > 0) {
        pod.on(node);
      }
      if (random.nextInt(8) == 0) {
        pod.deleting();
      }
      int owner = random.nextInt(4);
      if (owner > 0) {
        pod.ownedBy(prefix + "w" + owner);
      }
      for (String key : KEYS) {
        if (random.nextInt(3) == 0) {
          pod.annotation(key, VALUES.get(random.nextInt(VALUES.size())));
        }
      }
      if (dice <= 7) { // an extender bound it; some assumptions expire soon, some outlive the test
        ClusterEvent event = pod.on(node).assumed(random.nextBoolean()
            ? Duration.ofSeconds(1 + random.nextInt(30)) : Duration.ofDays(1));
        PodObserved seen = pods.get(uid);
        if (seen == null || (live(seen) && seen.getNodeName().isEmpty())) {
          assumed.put(uid, (PodAssumed) event.getPayload());
        }
        return event;
      }
      ClusterEvent event = pod.observed();
      PodObserved seen = (PodObserved) event.getPayload();
      pods.put(uid, seen);
      if (!live(seen) || !seen.getNodeName().isEmpty()) {
        assumed.remove(uid);
      }
      return event;
    }

    /**
     * A source reads the node's counters: mostly a few seconds after the last read, now and then
     * after a long gap or before it (a sample overtaken), an interface reset, or one appearing.
     */
    private ClusterEvent sample(EventFactory events, String node) {
      Map<String, long[]> now = counters.computeIfAbsent(node, n -> new TreeMap<>(Map.of("eth0", new long[2])));
      for (long[] c : now.values()) {
        c[0] += traffic.nextInt(50_000_000);
        c[1] += traffic.nextInt(50_000_000);
      }
      int dice = traffic.nextInt(10);
      if (dice == 0) {
        now.get("eth0")[0] = traffic.nextInt(1_000); // the interface restarted
      } else if (dice == 1) {
        now.putIfAbsent("eth" + (1 + traffic.nextInt(2)), new long[] {traffic.nextInt(1_000), traffic.nextInt(1_000)});
      }
      List<Sample> taken = samples.getOrDefault(node, List.of());
      Instant last = taken.isEmpty() ? events.now().minusSeconds(30) : taken.get(taken.size() - 1).at();
      Instant at = switch (traffic.nextInt(8)) {
        case 0 -> last.minusMillis(traffic.nextInt(2_000)); // overtaken, or a repeat
        case 1 -> last.plusSeconds(61 + traffic.nextInt(60)); // a long gap
        default -> last.plusMillis(1 + traffic.nextInt(20_000));
      };
      Map<String, long[]> read = new TreeMap<>();
      now.forEach((name, c) -> read.put(name, c.clone()));
      if (nodes.contains(node) && (taken.isEmpty() || at.isAfter(last))) {
        List<Sample> kept = new ArrayList<>(taken);
        kept.add(new Sample(at, read));
        samples.put(node, List.copyOf(kept.subList(Math.max(0, kept.size() - 2), kept.size())));
      }
      return events.trafficSampled(node, at, read.entrySet().stream()
          .map(e -> new InterfaceCounters(e.getKey(), e.getValue()[0], e.getValue()[1])).toList());
    }

    /** The node's rate from its last two samples, by the definition; null before any sample. */
    private Measured measured(String node) {
      List<Sample> taken = samples.getOrDefault(node, List.of());
      if (taken.isEmpty()) {
        return null;
      }
      Sample last = taken.get(taken.size() - 1);
      if (taken.size() == 1) {
        return new Measured(last.at(), null, null, 0);
      }
      Sample before = taken.get(0);
      long millis = Duration.between(before.at(), last.at()).toMillis();
      long tx = 0;
      long rx = 0;
      boolean common = false;
      for (var c : last.counters().entrySet()) {
        long[] then = before.counters().get(c.getKey());
        if (then == null) {
          continue;
        }
        if (c.getValue()[0] < then[0] || c.getValue()[1] < then[1]) {
          return new Measured(last.at(), null, null, 0);
        }
        tx += c.getValue()[0] - then[0];
        rx += c.getValue()[1] - then[1];
        common = true;
      }
      if (millis > 60_000 || !common) {
        return new Measured(last.at(), null, null, 0);
      }
      double seconds = millis / 1000.0;
      return new Measured(last.at(), tx * 8 / seconds / 1_000_000, rx * 8 / seconds / 1_000_000, millis);
    }

    private Long maybeCapacity() {
      return random.nextBoolean() ? CAPACITIES.get(random.nextInt(CAPACITIES.size())) : null;
    }

    /**
     * The books of this universe's nodes once the assumptions whose deadline {@code at} reaches are
     * released: the first thing the event at {@code at} does, before what it says itself.
     */
    void expireAt(Instant at) {
      released.clear();
      nodeNames().forEach(node -> released.put(node, books(node, at)));
    }

    /**
     * Notes when each node's books changed and became oversubscribed, given {@code event} just
     * happened: through the assumptions it released, then through what it says. An event that
     * removes a node or sets its capacity counts even when it changes nothing; a node with no books
     * left starts afresh.
     */
    void follow(ClusterEvent event) {
      Object payload = event.getPayload();
      for (String node : nodeNames()) {
        Books before = followed.getOrDefault(node, Books.NONE);
        Books expired = released.get(node);
        Books after = books(node, event.getObservedAt());
        followed.put(node, after);
        boolean named = payload instanceof NodeGone gone && gone.getName().equals(node)
            || payload instanceof CapacitySet set && set.getNode().equals(node);
        if (!expired.equals(before)) {
          mark(node, before, expired, event);
        }
        if (named || !after.equals(expired)) {
          mark(node, expired, after, event);
        }
      }
    }

    private void mark(String node, Books before, Books after, ClusterEvent cause) {
      if (!after.kept()) {
        marks.remove(node);
        return;
      }
      Marks was = marks.get(node);
      boolean later = was == null || cause.getObservedAt().isAfter(was.updatedAt())
          || cause.getObservedAt().equals(was.updatedAt()) && cause.getEventId().compareTo(was.lastEventId()) > 0;
      Instant since = after.oversubscribed().isEmpty() ? null
          : was != null && !before.oversubscribed().isEmpty() ? was.oversubscribedSince()
          : cause.getObservedAt();
      marks.put(node, later ? new Marks(cause.getObservedAt(), cause.getEventId(), since)
          : new Marks(was.updatedAt(), was.lastEventId(), since));
    }

    /** What is published for {@code node} now, as far as {@link #follow} has followed. */
    Expected published(String node) {
      Books books = followed.getOrDefault(node, Books.NONE);
      if (!books.present()) {
        return null;
      }
      Marks m = marks.get(node);
      return books.published(m.oversubscribedSince(), m.updatedAt(), m.lastEventId());
    }

    /** Each pod as observed, or where an assumption still standing after {@code at} put it. */
    private Map<String, PodObserved> podsAt(Instant at) {
      Map<String, PodObserved> pods = new HashMap<>(this.pods);
      assumed.forEach((uid, a) -> {
        if (a.getExpiresAt().isAfter(at)) {
          pods.put(uid, new PodObserved(uid, a.getNamespace(), a.getName(), a.getNodeName(), "Running", false,
              a.getBandwidthAnnotations(), a.getController(), null));
        }
      });
      return pods;
    }

    /** DESIGN §4 read literally, over the cluster at {@code at}. */
    Books books(String node, Instant at) {
      Map<String, PodObserved> pods = podsAt(at);
      CapacitySpec spec = specs.get(node);
      List<Long> capacity = List.of(
          spec != null && spec.getLocalUlMbps() != null ? spec.getLocalUlMbps() : DEFAULT_CAPACITY[0],
          spec != null && spec.getLocalDlMbps() != null ? spec.getLocalDlMbps() : DEFAULT_CAPACITY[1],
          spec != null && spec.getNetworkUlMbps() != null ? spec.getNetworkUlMbps() : DEFAULT_CAPACITY[2],
          spec != null && spec.getNetworkDlMbps() != null ? spec.getNetworkDlMbps() : DEFAULT_CAPACITY[3]);
      Set<String> linkLocal = new TreeSet<>();
      for (PodObserved pod : pods.values()) {
        if (live(pod) && pod.getController() != null
            && siblings(pod, pods).allMatch(s -> s.getNodeName().equals(node))) {
          linkLocal.add(pod.getNamespace() + "/" + pod.getController().getUid());
        }
      }
      long[] used = new long[4];
      List<String> reservations = new ArrayList<>();
      List<PodObserved> holders = pods.values().stream()
          .filter(p -> p.getNodeName().equals(node) && live(p)
              && p.getBandwidthAnnotations().keySet().stream().anyMatch(KEYS::contains))
          .sorted(Comparator.comparing(PodObserved::getNamespace).thenComparing(PodObserved::getName)
              .thenComparing(PodObserved::getUid))
          .toList();
      for (PodObserved pod : holders) {
        BandwidthRequest request = parser.parse(pod.getBandwidthAnnotations());
        boolean isLinkLocal = pod.getController() != null
            && linkLocal.contains(pod.getNamespace() + "/" + pod.getController().getUid());
        used[0] += request.ulMbps();
        used[1] += request.dlMbps();
        if (!isLinkLocal) {
          used[2] += request.ulMbps();
          used[3] += request.dlMbps();
        }
        boolean standing = assumed.containsKey(pod.getUid()) && assumed.get(pod.getUid()).getExpiresAt().isAfter(at);
        reservations.add(String.join(" ", pod.getNamespace(), pod.getName(), pod.getUid(),
            pod.getController() == null ? "-" : pod.getController().getUid(),
            !request.isValid() ? "INVALID" : standing ? "ASSUMED" : "ACTIVE",
            "ul=" + request.ulMbps(), "dl=" + request.dlMbps(), "local=" + isLinkLocal,
            String.valueOf(request.invalidReason())));
      }
      return new Books(nodes.contains(node), spec, List.copyOf(linkLocal), reservations, capacity,
          List.of(used[0], used[1], used[2], used[3]), nodes.contains(node) ? measured(node) : null);
    }

    /** Where each workload's live pods stand, by workload: node, or "" for none yet; sorted by placement. */
    SortedMap<String, List<PlacementCount>> spreads(Instant at) {
      Map<String, PodObserved> pods = podsAt(at);
      SortedMap<String, SortedMap<String, Integer>> counts = new TreeMap<>();
      for (PodObserved pod : pods.values()) {
        if (live(pod) && pod.getController() != null) {
          counts.computeIfAbsent(pod.getNamespace() + "/" + pod.getController().getUid(), w -> new TreeMap<>())
              .merge(pod.getNodeName(), 1, Integer::sum);
        }
      }
      SortedMap<String, List<PlacementCount>> spreads = new TreeMap<>();
      counts.forEach((workload, byPlacement) -> spreads.put(workload,
          byPlacement.entrySet().stream().map(e -> new PlacementCount(e.getKey(), e.getValue())).toList()));
      return spreads;
    }

    private static Stream<PodObserved> siblings(PodObserved pod, Map<String, PodObserved> pods) {
      return pods.values().stream().filter(s -> live(s) && s.getController() != null
          && s.getNamespace().equals(pod.getNamespace())
          && s.getController().getUid().equals(pod.getController().getUid()));
    }

    private static boolean live(PodObserved pod) {
      return !pod.getPhase().equals("Succeeded") && !pod.getPhase().equals("Failed") && !pod.getDeletionRequested();
    }
  }
}
