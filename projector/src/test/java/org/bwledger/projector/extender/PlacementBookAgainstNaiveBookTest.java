package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.ledger.rules.Workloads;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.junit.jupiter.api.Test;

/**
 * Random bursts of binds, published states, releases, restarts and passing time, the extender's
 * book after each step compared with a deliberately naive one that keeps the binds in a list and
 * recomputes everything it answers from the states and that list. Whatever the interleaving, the
 * binds it lets through between two states never take more than a node had left, in any direction.
 */
class PlacementBookAgainstNaiveBookTest {

  private static final int RUNS = 300;
  private static final int STEPS = 200;
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final List<String> WORKLOADS = List.of("web", "db", "cache");
  private static final Instant START = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void theBookDecidesAsANaiveRecomputeAndNoBurstTakesMoreThanANodeHasLeft() {
    int refused = 0;
    int held = 0;
    for (int run = 0; run < RUNS; run++) {
      Random random = new Random(run);
      PlacementBook book = new PlacementBook();
      NaiveBook naive = new NaiveBook();
      Instant now = START;
      for (int step = 0; step < STEPS; step++) {
        int dice = random.nextInt(100);
        String node = NODES.get(random.nextInt(NODES.size()));
        if (dice < 20) {
          NodeBandwidth state = random.nextInt(15) == 0 ? null : state(node, random, naive.pending);
          book.update(node, state);
          naive.update(node, state);
        } else if (dice < 22) {
          List<NodeBandwidth> states = NODES.stream().map(n -> state(n, random, naive.pending)).toList();
          book.seed(states);
          naive.seed(states);
        } else if (dice < 60) {
          PodDemand pod = pod("p" + step, random);
          Instant expiresAt = now.plusSeconds(1 + random.nextInt(30));
          boolean fits = naive.shortfall(node, pod, now) == null;
          assertThat(book.hold(node, pod, now, expiresAt) == null).as("run %d step %d: hold on %s", run, step, node)
              .isEqualTo(fits);
          if (fits) {
            naive.held(new NaiveBook.Bind(node, pod, expiresAt));
            held++;
          } else {
            refused++;
          }
        } else if (dice < 65 && !naive.pending.isEmpty()) {
          String uid = new ArrayList<>(naive.pending.keySet()).get(random.nextInt(naive.pending.size()));
          book.release(uid);
          naive.pending.remove(uid);
        } else if (dice < 68) {
          List<String> uids = new ArrayList<>(naive.everHeld);
          List<StandingAssumptions.Assumption> binds = new ArrayList<>();
          for (int i = random.nextInt(4); i > 0; i--) {
            // Read back from the log: new binds, and binds of pods bound before whose hold may have lapsed.
            String uid = uids.isEmpty() || random.nextBoolean() ? "r" + step + "-" + i : uids.get(random.nextInt(uids.size()));
            binds.add(new StandingAssumptions.Assumption(pod(uid, random),
                NODES.get(random.nextInt(NODES.size())), now.plusSeconds(random.nextInt(20))));
          }
          assertThat(book.restore(binds, now)).as("run %d step %d: restored", run, step)
              .isEqualTo(naive.restore(binds, now));
        } else if (dice < 80) {
          now = now.plusSeconds(random.nextInt(6));
        } else {
          PodDemand pod = pod("q" + step, random);
          Scoring scoring = random.nextBoolean() ? Scoring.REMAINING : Scoring.SIBLINGS_THEN_REMAINING;
          List<String> candidates = new ArrayList<>(NODES);
          candidates.add("unknown");
          switch (random.nextInt(3)) { // one question at a time: each must see the passing time for itself
            case 0 -> {
              Map<String, String> shortfalls = book.shortfalls(candidates, pod, now);
              assertThat(shortfalls.keySet()).as("run %d step %d: refused", run, step)
                  .isEqualTo(naive.refused(candidates, pod, now));
              assertThat(shortfalls).containsEntry("unknown", "bwledger holds no state for node unknown yet");
            }
            case 1 -> assertThat(book.scores(candidates, pod, scoring, now)).as("run %d step %d: scores", run, step)
                .isEqualTo(naive.scores(candidates, pod, scoring, now));
            default -> assertThat(book.pendingBinds(now)).as("run %d step %d: pending", run, step)
                .isEqualTo(naive.pending(now));
          }
        }
        naive.assertNoBurstOversubscribes(now);
      }
    }
    assertThat(held).as("binds held").isGreaterThan(RUNS * STEPS / 10);
    assertThat(refused).as("binds refused").isGreaterThan(RUNS * STEPS / 20);
  }

  /**
   * A published state: bare pods and pods of the workloads, some shown from the binds in flight
   * (the state catches up with them); each node may be the one home of its own workload, whose
   * pods there are link-local.
   */
  private static NodeBandwidth state(String node, Random random, Map<String, NaiveBook.Bind> pending) {
    List<Reservation> reservations = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      String workload = random.nextBoolean() ? null : WORKLOADS.get(random.nextInt(WORKLOADS.size()));
      reservations.add(States.reservation(node + "-" + random.nextInt(1_000), "lab", "x", workload,
          random.nextInt(400), random.nextInt(400), false));
    }
    if (random.nextBoolean()) {
      // Mostly its own workload; now and then another node's, whose home moves here.
      String home = "home-" + (random.nextInt(4) == 0 ? NODES.get(random.nextInt(NODES.size())) : node);
      for (int i = 1 + random.nextInt(3); i > 0; i--) {
        reservations.add(States.reservation(node + "-home-" + i, "lab", "h", home, 50 + random.nextInt(250),
            50 + random.nextInt(250), true));
      }
    }
    for (NaiveBook.Bind bind : pending.values()) {
      if (bind.node().equals(node) && random.nextBoolean()) {
        reservations.add(States.reservation(bind.pod().uid(), "lab", bind.pod().name(), null,
            bind.pod().request().ulMbps(), bind.pod().request().dlMbps(), false));
      }
    }
    long local = random.nextInt(3) == 0 ? 1_500 : 20_000;
    long network = random.nextInt(10) == 0 ? 0 : 1_000;
    return States.node(node, reservations, local, network);
  }

  private static PodDemand pod(String uid, Random random) {
    int kind = random.nextInt(10);
    String owner = kind < 3 ? null : kind < 5 ? WORKLOADS.get(random.nextInt(WORKLOADS.size()))
        : "home-" + NODES.get(random.nextInt(NODES.size()));
    Owner controller = owner == null ? null : new Owner("ReplicaSet", owner, "uid-" + owner);
    int declares = random.nextInt(20);
    BandwidthRequest request = declares == 0 ? BandwidthRequest.NONE
        : declares == 1 ? BandwidthRequest.invalid("kubernetes.io/egress-bandwidth: \"10Mbps\" is not a Kubernetes quantity")
        : BandwidthRequest.valid(random.nextInt(350), random.nextInt(350));
    return new PodDemand(uid, "lab", uid, Map.of(), controller, Workloads.keyOf("lab", controller), request);
  }

  /** The book kept as plainly as possible: the latest state per node and a list of binds in flight. */
  private static final class NaiveBook {

    record Bind(String node, PodDemand pod, Instant expiresAt) {}

    final Map<String, NodeBandwidth> states = new HashMap<>();
    final Set<String> told = new TreeSet<>();
    final Map<String, Bind> pending = new LinkedHashMap<>();
    final Set<String> everHeld = new TreeSet<>();
    /** Each workload's home: the node whose latest state shows it link-local, while that state does. */
    final Map<String, String> homes = new HashMap<>();
    /** What each node had left when last published, and the binds held on it since. */
    final Map<String, List<Bind>> heldSinceState = new HashMap<>();

    void update(String node, NodeBandwidth state) {
      told.add(node);
      homes.values().removeIf(home -> home.equals(node));
      if (state != null) {
        state.getReservations().stream().filter(Reservation::getLinkLocal)
            .forEach(r -> homes.put(Workloads.keyOf(r.getNamespace(), r.getController()), node));
      }
      if (state == null) {
        states.remove(node);
      } else {
        states.put(node, state);
        state.getReservations().forEach(r -> pending.remove(r.getPodUid()));
      }
      heldSinceState.remove(node);
    }

    void seed(List<NodeBandwidth> seeded) {
      seeded.stream().filter(s -> !told.contains(s.getNode())).forEach(s -> update(s.getNode(), s));
    }

    int restore(List<StandingAssumptions.Assumption> binds, Instant now) {
      expire(now);
      int restored = 0;
      for (StandingAssumptions.Assumption bind : binds) {
        boolean shown = states.values().stream().flatMap(s -> s.getReservations().stream())
            .anyMatch(r -> r.getPodUid().equals(bind.pod().uid()));
        if (bind.pod().declared() && bind.pod().request().isValid() && now.isBefore(bind.expiresAt()) && !shown && !pending.containsKey(bind.pod().uid())) {
          pending.put(bind.pod().uid(), new Bind(bind.node(), bind.pod(), bind.expiresAt()));
          restored++;
        }
      }
      return restored;
    }

    int pending(Instant now) {
      expire(now);
      return pending.size();
    }

    Set<String> refused(List<String> candidates, PodDemand pod, Instant now) {
      Set<String> refused = new TreeSet<>();
      candidates.stream().filter(node -> shortfall(node, pod, now) != null).forEach(refused::add);
      return refused;
    }

    /** Why {@code node} cannot take {@code pod}, or null: DESIGN's rule read literally over the list. */
    String shortfall(String node, PodDemand pod, Instant now) {
      expire(now);
      NodeBandwidth state = states.get(node);
      if (state == null) {
        return "no state";
      }
      long ul = pod.request().ulMbps();
      long dl = pod.request().dlMbps();
      long heldUl = held(node, true);
      long heldDl = held(node, false);
      if (ul > 0 && (state.getRemaining().getLocalUlMbps() - heldUl < ul || state.getRemaining().getNetworkUlMbps() - heldUl < ul)
          || dl > 0 && (state.getRemaining().getLocalDlMbps() - heldDl < dl
              || state.getRemaining().getNetworkDlMbps() - heldDl < dl)) {
        return "no room";
      }
      String at = pod.workload() == null ? null : homes.get(pod.workload());
      if (at != null && !at.equals(node)) {
        long homeUl = 0;
        long homeDl = 0;
        for (Reservation r : states.get(at).getReservations()) {
          if (r.getLinkLocal() && pod.workload().equals(Workloads.keyOf(r.getNamespace(), r.getController()))) {
            homeUl += r.getUlMbps();
            homeDl += r.getDlMbps();
          }
        }
        NodeBandwidth home = states.get(at);
        if (homeUl > 0 && home.getRemaining().getNetworkUlMbps() - held(at, true) < homeUl
            || homeDl > 0 && home.getRemaining().getNetworkDlMbps() - held(at, false) < homeDl) {
          return "no room at home";
        }
      }
      return null;
    }

    Map<String, Integer> scores(List<String> candidates, PodDemand pod, Scoring scoring, Instant now) {
      expire(now);
      Map<String, Integer> scores = new LinkedHashMap<>();
      for (String node : candidates) {
        NodeBandwidth state = states.get(node);
        if (state == null) {
          scores.put(node, 0);
          continue;
        }
        double left = Math.min(
            share(state.getRemaining().getNetworkUlMbps() - held(node, true) - pod.request().ulMbps(),
                state.getCapacity().getNetworkUlMbps()),
            share(state.getRemaining().getNetworkDlMbps() - held(node, false) - pod.request().dlMbps(),
                state.getCapacity().getNetworkDlMbps()));
        boolean siblings = pod.workload() != null && (state.getReservations().stream()
            .anyMatch(r -> pod.workload().equals(Workloads.keyOf(r.getNamespace(), r.getController())))
            || pending.values().stream().anyMatch(b -> b.node().equals(node) && pod.workload().equals(b.pod().workload())));
        scores.put(node, scoring == Scoring.REMAINING ? (int) Math.round(10 * left)
            : siblings ? 6 + (int) Math.round(4 * left) : (int) Math.round(5 * left));
      }
      return scores;
    }

    /** Binds held on a node since its last state, still in flight, never add up to more than that state left. */
    void assertNoBurstOversubscribes(Instant now) {
      expire(now);
      heldSinceState.forEach((node, binds) -> {
        NodeBandwidth state = states.get(node);
        List<Bind> inFlight = binds.stream().filter(b -> pending.get(b.pod().uid()) == b).toList();
        long ul = inFlight.stream().mapToLong(b -> b.pod().request().ulMbps()).sum();
        long dl = inFlight.stream().mapToLong(b -> b.pod().request().dlMbps()).sum();
        assertThat(ul).as("egress held on %s", node).isLessThanOrEqualTo(Math.max(0,
            Math.min(state.getRemaining().getLocalUlMbps(), state.getRemaining().getNetworkUlMbps())));
        assertThat(dl).as("ingress held on %s", node).isLessThanOrEqualTo(Math.max(0,
            Math.min(state.getRemaining().getLocalDlMbps(), state.getRemaining().getNetworkDlMbps())));
      });
    }

    void held(Bind bind) {
      pending.put(bind.pod().uid(), bind);
      everHeld.add(bind.pod().uid());
      heldSinceState.computeIfAbsent(bind.node(), n -> new ArrayList<>()).add(bind);
    }

    private long held(String node, boolean ul) {
      return pending.values().stream().filter(b -> b.node().equals(node))
          .mapToLong(b -> ul ? b.pod().request().ulMbps() : b.pod().request().dlMbps()).sum();
    }

    private void expire(Instant now) {
      pending.values().removeIf(b -> !now.isBefore(b.expiresAt()));
    }

    private static double share(long left, long capacity) {
      return capacity <= 0 ? 0 : Math.max(0, Math.min(1, (double) left / capacity));
    }
  }
}
