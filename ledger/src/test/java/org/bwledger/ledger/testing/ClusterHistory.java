package org.bwledger.ledger.testing;

import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;

/**
 * A generated cluster history with the shape of a busy lab: nodes, workloads whose pods mostly
 * gather on a home node (so link-local flips happen as siblings come and go), bare pods, churn,
 * failed pods, bad annotations and capacity edits. Some pods are bound by a scheduler extender
 * first (an assumption that ingest's observation supersedes); a few such pods never show up.
 *
 * @param nodes how many nodes
 * @param podSlots how many pods live at once, at most
 * @param workloads how many workloads the pods belong to (every tenth pod is bare)
 * @param events how many events in all
 */
public record ClusterHistory(int nodes, int podSlots, int workloads, long events) {

  /** Events after the last assumption that expires: enough for every partition to pass its deadline. */
  private static final int NEVER_SHOWS_UP_MARGIN = 300;

  /** Hands every event of the history to {@code sink}, in order. Same seed, same history. */
  public void generate(long seed, EventFactory factory, Consumer<ClusterEvent> sink) {
    Random random = new Random(seed);
    String[] podNode = new String[podSlots];
    int[] generation = new int[podSlots];
    long emitted = 0;
    for (int n = 0; n < nodes && emitted < events; n++, emitted++) {
      sink.accept(factory.nodeObserved(node(n)));
    }
    while (emitted < events) {
      emitted++;
      int dice = random.nextInt(1000);
      if (dice == 0) {
        sink.accept(factory.capacitySet(node(random.nextInt(nodes)),
            random.nextBoolean() ? null : new CapacitySpec(null, null, 500L + random.nextInt(2000), null)));
        continue;
      }
      int slot = random.nextInt(podSlots);
      String uid = "pod-" + slot + "-" + generation[slot];
      if (podNode[slot] == null && dice >= 900 && emitted < events - NEVER_SHOWS_UP_MARGIN) {
        // An extender bound a pod that never shows up: its assumption expires well before the end.
        sink.accept(pod(factory, slot, uid, placement(slot, random), "Running", random).assumed(Duration.ofSeconds(30)));
        generation[slot]++;
      } else if (podNode[slot] == null) {
        podNode[slot] = placement(slot, random);
        EventFactory.PodBuilder pod = pod(factory, slot, uid, podNode[slot], dice < 20 ? "Failed" : "Running", random);
        if (dice >= 750) {
          // A scheduler extender bound it; ingest sees it on the node a moment later.
          sink.accept(pod.assumed(Duration.ofHours(1)));
          emitted++;
        }
        sink.accept(pod.observed());
      } else if (dice < 250) {
        // The pod goes away; its slot comes back as a new pod, perhaps on another node.
        sink.accept(factory.podGone(uid));
        podNode[slot] = null;
        generation[slot]++;
      } else {
        sink.accept(pod(factory, slot, uid, podNode[slot], "Running", random).observed());
      }
    }
  }

  /**
   * Hands {@code sink} a cluster at rest, each node and each pod slot observed once: every pod
   * live on its node, annotated as the history's pods are. What the fold holds for a cluster of
   * this size, with no history behind it.
   */
  public void populate(long seed, EventFactory factory, Consumer<ClusterEvent> sink) {
    Random random = new Random(seed);
    for (int n = 0; n < nodes; n++) {
      sink.accept(factory.nodeObserved(node(n)));
    }
    for (int slot = 0; slot < podSlots; slot++) {
      sink.accept(pod(factory, slot, "pod-" + slot + "-0", placement(slot, random), "Running", random).observed());
    }
  }

  private String placement(int slot, Random random) {
    int workload = slot % workloads;
    return random.nextInt(10) < 8 ? node(workload % nodes) : node(random.nextInt(nodes));
  }

  private EventFactory.PodBuilder pod(EventFactory factory, int slot, String uid, String node, String phase, Random random) {
    EventFactory.PodBuilder pod = factory.pod(uid).namespace("ns-" + (slot % workloads % 7)).name(uid).on(node).phase(phase)
        .ip("10.0." + (slot / 250) + "." + (slot % 250));
    if (slot % 10 != 0) {
      pod.ownedBy("workload-" + (slot % workloads));
    }
    int value = random.nextInt(100);
    if (value < 2) {
      pod.egress("fast");
    } else {
      pod.egress((1 + value) + "M").ingress((1 + value / 2) + "M");
    }
    return pod;
  }

  private static String node(int n) {
    return String.format("node-%04d", n);
  }
}
