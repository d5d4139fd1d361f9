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
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.AnnotationParser;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.ledger.testing.LedgerDriver;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.state.NodeBandwidth;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random histories through the topology (and through {@link LocalFold}, which replay
 * uses), each node's final state compared with a deliberately naive recompute from the final set of
 * pods, nodes and specs: no increments, no stages, just DESIGN §4 read literally.
 *
 * <p>Each history lives in its own universe (its names carry its number), so one driver runs them
 * all. Some histories end with pods whose delete was never seen and a resync listing what is live
 * in every universe. Scheduler extenders' assumptions come and go among the observations: one
 * stands at the end if nothing superseded it and its deadline is after the last event of all.
 */
class FoldAgainstNaiveRecomputeTest {

  private static final int HISTORIES = 1_500;
  private static final int EVENTS_PER_HISTORY = 40;
  private static final List<String> PHASES = List.of("Running", "Running", "Running", "Pending", "Succeeded", "Failed");
  private static final List<String> VALUES = List.of("100M", "250M", "1G", "1500k", "100Mi", "999", "abc", "20");
  private static final List<String> KEYS = List.of(
      "kubernetes.io/egress-bandwidth", "kubernetes.io/ingress-bandwidth",
      "ovn.kubernetes.io/egress_rate", "ovn.kubernetes.io/ingress_rate");

  private final AnnotationParser parser = new AnnotationParser(LedgerRules.DEFAULT.annotationKeys());

  @Test
  void everyNodeEndsAsTheNaiveRecomputeOfTheFinalClusterSays() {
    EventFactory events = new EventFactory();
    LocalFold local = new LocalFold(LedgerRules.DEFAULT);
    Map<String, Universe> universes = new LinkedHashMap<>();
    try (LedgerDriver ledger = new LedgerDriver()) {
      for (int h = 0; h < HISTORIES; h++) {
        Universe universe = new Universe("h" + h + "-", new Random(h));
        universes.put(universe.prefix, universe);
        List<ClusterEvent> history = universe.history(events, universes.values());
        history.forEach(local::apply);
        ledger.sendAll(history);
      }
      Instant end = events.now().minusSeconds(1);

      SortedMap<String, NodeBandwidth> published = ledger.nodes();
      SortedMap<String, NodeBandwidth> replayed = local.published();
      for (Universe universe : universes.values()) {
        SortedMap<String, Expected> expected = universe.recompute(end);
        assertThat(view(published, universe.prefix)).as("topology, history %s", universe.prefix).isEqualTo(expected);
        assertThat(view(replayed, universe.prefix)).as("local fold, history %s", universe.prefix).isEqualTo(expected);
      }
    }
  }

  /** The parts of a node's state the final cluster determines (not when things happened). */
  record Expected(List<Long> capacity, List<Long> used, List<Long> remaining, List<String> oversubscribed,
      List<String> reservations) {}

  private static SortedMap<String, Expected> view(SortedMap<String, NodeBandwidth> nodes, String prefix) {
    SortedMap<String, Expected> view = new TreeMap<>();
    nodes.subMap(prefix, prefix + Character.MAX_VALUE).forEach((name, n) -> view.put(name, new Expected(
        List.of(n.getCapacity().getLocalUlMbps(), n.getCapacity().getLocalDlMbps(),
            n.getCapacity().getNetworkUlMbps(), n.getCapacity().getNetworkDlMbps()),
        List.of(n.getUsed().getLocalUlMbps(), n.getUsed().getLocalDlMbps(),
            n.getUsed().getNetworkUlMbps(), n.getUsed().getNetworkDlMbps()),
        List.of(n.getRemaining().getLocalUlMbps(), n.getRemaining().getLocalDlMbps(),
            n.getRemaining().getNetworkUlMbps(), n.getRemaining().getNetworkDlMbps()),
        n.getOversubscribed(),
        n.getReservations().stream().map(r -> String.join(" ", r.getNamespace(), r.getPodName(), r.getPodUid(),
            r.getState().name(), "ul=" + r.getUlMbps(), "dl=" + r.getDlMbps(), "local=" + r.getLinkLocal(),
            String.valueOf(r.getReason()))).toList())));
    return view;
  }

  /** One random history, and the truth it leaves behind. */
  private final class Universe {
    final String prefix;
    final Random random;
    final Map<String, PodObserved> pods = new HashMap<>();
    final Set<String> nodes = new TreeSet<>();
    final Map<String, CapacitySpec> specs = new HashMap<>();
    final Map<String, PodAssumed> assumed = new HashMap<>();

    Universe(String prefix, Random random) {
      this.prefix = prefix;
      this.random = random;
    }

    List<ClusterEvent> history(EventFactory events, Iterable<Universe> all) {
      List<ClusterEvent> history = new ArrayList<>();
      for (int i = 0; i < EVENTS_PER_HISTORY; i++) {
        history.add(next(events));
      }
      if (random.nextInt(4) == 0) {
        // Ingest was down: some deletes were never seen, then a relist tells what is live.
        pods.keySet().removeIf(uid -> random.nextInt(3) == 0);
        nodes.removeIf(node -> random.nextInt(4) == 0);
        List<String> livePods = new ArrayList<>();
        List<String> liveNodes = new ArrayList<>();
        for (Universe u : all) {
          livePods.addAll(u.pods.keySet());
          liveNodes.addAll(u.nodes);
          u.assumed.keySet().retainAll(u.pods.keySet()); // assumed before the relist began, and not in it
        }
        var relistStart = events.now();
        int half = livePods.size() / 2;
        history.add(events.resyncChunk(prefix + "relist", 0, false, relistStart, livePods.subList(0, half), List.of()));
        history.add(events.resyncChunk(prefix + "relist", 1, true, relistStart,
            livePods.subList(half, livePods.size()), liveNodes));
      }
      return history;
    }

    private ClusterEvent next(EventFactory events) {
      String node = prefix + "n" + random.nextInt(3);
      int dice = random.nextInt(20);
      if (dice == 0) {
        nodes.remove(node);
        return events.nodeGone(node);
      }
      if (dice <= 2) {
        nodes.add(node);
        return events.nodeObserved(node);
      }
      if (dice == 3) {
        CapacitySpec spec = random.nextBoolean() ? null
            : new CapacitySpec(null, maybe(30_000L), maybe(300L), maybe(200L));
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

    private Long maybe(long value) {
      return random.nextBoolean() ? value : null;
    }

    /**
     * DESIGN §4 read literally, over the final cluster: each pod as observed, or where an
     * assumption still standing after {@code end} put it.
     */
    SortedMap<String, Expected> recompute(Instant end) {
      Map<String, PodObserved> pods = new HashMap<>(this.pods);
      Set<String> standing = new TreeSet<>();
      assumed.forEach((uid, a) -> {
        if (a.getExpiresAt().isAfter(end)) {
          standing.add(uid);
          pods.put(uid, new PodObserved(uid, a.getNamespace(), a.getName(), a.getNodeName(), "Running", false,
              a.getBandwidthAnnotations(), a.getController(), null));
        }
      });
      SortedMap<String, Expected> expected = new TreeMap<>();
      for (String node : nodes) {
        CapacitySpec spec = specs.get(node);
        long[] capacity = {
            spec != null && spec.getLocalUlMbps() != null ? spec.getLocalUlMbps() : 20_000,
            spec != null && spec.getLocalDlMbps() != null ? spec.getLocalDlMbps() : 20_000,
            spec != null && spec.getNetworkUlMbps() != null ? spec.getNetworkUlMbps() : 1_000,
            spec != null && spec.getNetworkDlMbps() != null ? spec.getNetworkDlMbps() : 1_000};
        long[] used = new long[4];
        List<PodObserved> holders = pods.values().stream()
            .filter(p -> p.getNodeName().equals(node) && live(p)
                && p.getBandwidthAnnotations().keySet().stream().anyMatch(KEYS::contains))
            .sorted(Comparator.comparing(PodObserved::getNamespace).thenComparing(PodObserved::getName)
                .thenComparing(PodObserved::getUid))
            .toList();
        List<String> reservations = new ArrayList<>();
        for (PodObserved pod : holders) {
          BandwidthRequest request = parser.parse(pod.getBandwidthAnnotations());
          boolean linkLocal = pod.getController() != null && pods.values().stream()
              .filter(s -> live(s) && s.getController() != null
                  && s.getNamespace().equals(pod.getNamespace())
                  && s.getController().getUid().equals(pod.getController().getUid()))
              .allMatch(s -> s.getNodeName().equals(node));
          used[0] += request.ulMbps();
          used[1] += request.dlMbps();
          if (!linkLocal) {
            used[2] += request.ulMbps();
            used[3] += request.dlMbps();
          }
          reservations.add(String.join(" ", pod.getNamespace(), pod.getName(), pod.getUid(),
              !request.isValid() ? "INVALID" : standing.contains(pod.getUid()) ? "ASSUMED" : "ACTIVE", "ul=" + request.ulMbps(), "dl=" + request.dlMbps(),
              "local=" + linkLocal, String.valueOf(request.invalidReason())));
        }
        List<String> names = List.of("local-ul", "local-dl", "network-ul", "network-dl");
        List<Long> remaining = new ArrayList<>();
        List<String> oversubscribed = new ArrayList<>();
        for (int d = 0; d < 4; d++) {
          remaining.add(capacity[d] - used[d]);
          if (capacity[d] - used[d] < 0) {
            oversubscribed.add(names.get(d));
          }
        }
        expected.put(node, new Expected(
            List.of(capacity[0], capacity[1], capacity[2], capacity[3]),
            List.of(used[0], used[1], used[2], used[3]), remaining, oversubscribed, reservations));
      }
      return expected;
    }

    private static boolean live(PodObserved pod) {
      return !pod.getPhase().equals("Succeeded") && !pod.getPhase().equals("Failed") && !pod.getDeletionRequested();
    }
  }
}
