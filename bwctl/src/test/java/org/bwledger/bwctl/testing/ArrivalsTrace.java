package org.bwledger.bwctl.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A generated trace of arrivals for the placement experiments: identical nodes whose local and
 * network capacities are equal (so "fits" means "has room for one more pod", whatever the links
 * carry), and workloads of two pods that arrive together, are placed one second later on a node
 * drawn at random (a scheduler blind to bandwidth), and leave one by one. Written as {@code bwctl
 * record} writes a trace, one JSON watch event a line.
 *
 * @param events the trace's events in order, for a simulation to read without the trace
 */
public record ArrivalsTrace(List<String> nodes, long podMbps, long capacityMbps, List<Event> events) {

  /** What happens to a pod: it is created, bound where the recording put it, or deleted. */
  public enum Kind { ARRIVE, BIND, DEPART }

  /**
   * One event of the trace.
   *
   * @param node where the recording bound the pod (BIND and DEPART), else null
   */
  public record Event(long atMillis, Kind kind, String pod, String workload, String node) {}

  public static final Instant START = Instant.parse("2026-11-20T10:00:00Z");

  /**
   * @param workloads how many two-pod workloads arrive, one every {@code gapMillis} (jittered)
   * @param slots how many pods a node has room for
   * @param lifeMillis how long a pod lives at least; at most three times that
   */
  public static ArrivalsTrace generate(long seed, int nodeCount, int slots, int workloads, long gapMillis,
      long lifeMillis) {
    Random random = new Random(seed);
    List<String> nodes = new ArrayList<>();
    for (int n = 0; n < nodeCount; n++) {
      nodes.add("node-" + n);
    }
    List<Event> events = new ArrayList<>();
    long at = 1_000;
    for (int w = 0; w < workloads; w++) {
      at += gapMillis / 2 + (long) (random.nextDouble() * gapMillis);
      String workload = "w" + w;
      for (int p = 0; p < 2; p++) {
        String pod = workload + "-" + p;
        String node = nodes.get(random.nextInt(nodeCount));
        events.add(new Event(at, Kind.ARRIVE, pod, workload, null));
        events.add(new Event(at + 1_000, Kind.BIND, pod, workload, node));
        events.add(new Event(at + 1_000 + lifeMillis + (long) (random.nextDouble() * 2 * lifeMillis), Kind.DEPART, pod,
            workload, node));
      }
    }
    // by time; at one time in the order generated, which keeps each pod's own events in order
    List<Event> ordered = events.stream().sorted(Comparator.comparingLong(Event::atMillis)).toList();
    long podMbps = 250;
    return new ArrivalsTrace(List.copyOf(nodes), podMbps, podMbps * slots, ordered);
  }

  /** Writes the trace: each node and its Bandwidth at the start, then the pods' events. */
  public Path write(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file)) {
      long version = 1;
      for (String node : nodes) {
        out.write(line("ADDED", 0, "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + node
            + "\",\"uid\":\"uid-" + node + "\",\"resourceVersion\":\"" + version++ + "\"}}"));
        out.write(line("ADDED", 0, "{\"apiVersion\":\"networking.vaclab.org/v1\",\"kind\":\"Bandwidth\",\"metadata\":"
            + "{\"name\":\"" + node + "\",\"generation\":1,\"resourceVersion\":\"" + version++ + "\"},\"spec\":{\"node\":\""
            + node + "\",\"capacity\":{\"local\":{\"ulMbps\":" + capacityMbps + ",\"dlMbps\":" + capacityMbps
            + "},\"network\":{\"ulMbps\":" + capacityMbps + ",\"dlMbps\":" + capacityMbps + "}}}}}"));
      }
      for (Event event : events) {
        String type = switch (event.kind()) {
          case ARRIVE -> "ADDED";
          case BIND -> "MODIFIED";
          case DEPART -> "DELETED";
        };
        out.write(line(type, event.atMillis(), pod(event, version++)));
      }
    }
    return file;
  }

  private String pod(Event event, long version) {
    String node = event.node() == null ? "" : event.node();
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + event.pod() + "\",\"namespace\":\"lab\","
        + "\"uid\":\"uid-" + event.pod() + "\",\"resourceVersion\":\"" + version + "\",\"annotations\":{"
        + "\"kubernetes.io/egress-bandwidth\":\"" + podMbps + "M\",\"kubernetes.io/ingress-bandwidth\":\"" + podMbps
        + "M\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"" + event.workload()
        + "\",\"uid\":\"uid-" + event.workload() + "\",\"controller\":true}]},\"spec\":{\"nodeName\":\"" + node
        + "\"},\"status\":{\"phase\":\"" + (event.kind() == Kind.ARRIVE ? "Pending" : "Running") + "\"}}";
  }

  private static String line(String type, long atMillis, String object) {
    return "{\"type\":\"" + type + "\",\"observedAt\":\"" + START.plusMillis(atMillis) + "\",\"object\":" + object
        + "}\n";
  }
}
