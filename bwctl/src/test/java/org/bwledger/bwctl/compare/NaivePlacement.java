package org.bwledger.bwctl.compare;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bwledger.bwctl.testing.ArrivalsTrace;

/**
 * An independent simulation of an {@link ArrivalsTrace}: pods counted on nodes, nothing of bwledger.
 * The trace's nodes are equal and its pods ask the same, and a node's local capacity is its network
 * capacity, so a pod fits wherever a node has fewer than its slots of pods, and a node is
 * oversubscribed while it holds more.
 */
final class NaivePlacement {

  /** What a simulation gives; times in milliseconds of trace time. */
  record Figures(int arrived, int placed, int pending, int neverPlaced, double oversubscribedNodeMinutes,
      double linkLocalShare, long waitP50Millis, long waitP99Millis) {}

  private final ArrivalsTrace trace;
  private final int slots;
  private final Map<String, String> placement = new HashMap<>(); // live pods: pod → node, "" while waiting
  private final Map<String, String> workloadOf = new HashMap<>();
  private final Map<String, Long> arrivedAt = new HashMap<>();
  private final Deque<String> queue = new ArrayDeque<>();
  private final List<Long> waits = new ArrayList<>();
  private int arrived;
  private int neverPlaced;
  private double overNodeMillis;
  private double linkLocalMbpsMillis;
  private double reservedMbpsMillis;

  private NaivePlacement(ArrivalsTrace trace) {
    this.trace = trace;
    this.slots = (int) (trace.capacityMbps() / trace.podMbps());
  }

  /** The pods where the recording put them. */
  static Figures asRecorded(ArrivalsTrace trace) {
    return new NaivePlacement(trace).run(false);
  }

  /** Each pod on any node with room when it arrives, else queued and placed, first come first, as room frees. */
  static Figures firstFit(ArrivalsTrace trace) {
    return new NaivePlacement(trace).run(true);
  }

  private Figures run(boolean firstFit) {
    long last = 0;
    for (ArrivalsTrace.Event event : trace.events()) {
      accumulate(event.atMillis() - last);
      last = event.atMillis();
      String pod = event.pod();
      switch (event.kind()) {
        case ARRIVE -> {
          arrived++;
          workloadOf.put(pod, event.workload());
          arrivedAt.put(pod, event.atMillis());
          placement.put(pod, "");
          if (firstFit) {
            freeNode().ifPresentOrElse(node -> place(pod, node, event.atMillis()), () -> queue.add(pod));
          }
        }
        case BIND -> {
          if (!firstFit) {
            place(pod, event.node(), event.atMillis());
          }
        }
        case DEPART -> {
          if (placement.remove(pod).isEmpty()) {
            neverPlaced++;
            queue.remove(pod);
          }
          while (firstFit && !queue.isEmpty() && freeNode().isPresent()) {
            place(queue.poll(), freeNode().get(), event.atMillis());
          }
        }
      }
    }
    List<Long> sorted = waits.stream().sorted().toList();
    int pending = (int) placement.values().stream().filter(String::isEmpty).count();
    return new Figures(arrived, waits.size(), pending, neverPlaced, overNodeMillis / 60_000,
        reservedMbpsMillis == 0 ? 0 : linkLocalMbpsMillis / reservedMbpsMillis, percentile(sorted, 50),
        percentile(sorted, 99));
  }

  private void place(String pod, String node, long at) {
    placement.put(pod, node);
    waits.add(at - arrivedAt.get(pod));
  }

  private Optional<String> freeNode() {
    return trace.nodes().stream().filter(node -> podsOn(node) < slots).findFirst();
  }

  private long podsOn(String node) {
    return placement.values().stream().filter(node::equals).count();
  }

  private void accumulate(long millis) {
    for (String node : trace.nodes()) {
      if (podsOn(node) > slots) {
        overNodeMillis += millis;
      }
    }
    for (Map.Entry<String, String> pod : placement.entrySet()) {
      if (pod.getValue().isEmpty()) {
        continue;
      }
      double mbpsMillis = 2.0 * trace.podMbps() * millis;
      reservedMbpsMillis += mbpsMillis;
      String workload = workloadOf.get(pod.getKey());
      boolean siblingsHere = placement.entrySet().stream()
          .filter(other -> workloadOf.get(other.getKey()).equals(workload))
          .allMatch(other -> other.getValue().equals(pod.getValue()));
      if (siblingsHere) {
        linkLocalMbpsMillis += mbpsMillis;
      }
    }
  }

  /** Nearest rank, as the command reports it. */
  private static long percentile(List<Long> sorted, double percent) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
