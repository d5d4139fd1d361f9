package org.bwledger.schemas.serde;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.ledger.LocalityChange;
import org.bwledger.schemas.ledger.NodeChange;
import org.bwledger.schemas.ledger.NodeSummary;
import org.bwledger.schemas.ledger.PlacementCount;
import org.bwledger.schemas.ledger.PresenceChange;
import org.bwledger.schemas.ledger.Progress;
import org.bwledger.schemas.ledger.ReservationChange;
import org.bwledger.schemas.ledger.SpecChange;
import org.bwledger.schemas.ledger.TrafficState;
import org.bwledger.schemas.ledger.WorkloadChange;
import org.bwledger.schemas.ledger.WorkloadSpread;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.state.TrafficFigures;

/**
 * One record per case of every schema, written as golden bytes when a version is released
 * ({@link GoldenBytesWriter}) and decoded forever after ({@link GoldenBytesTest}).
 */
final class GoldenSamples {

  private static final Instant T = Instant.parse("2026-11-22T10:15:30.123Z");
  private static final Owner OWNER = new Owner("ReplicaSet", "iperf-7d4b9", "rs-uid-1");

  private GoldenSamples() {}

  /** Samples by file name (without extension), per record simple name. */
  static Map<String, Map<String, SpecificRecord>> all() {
    Map<String, Map<String, SpecificRecord>> all = new TreeMap<>();
    all.put("ClusterEvent", clusterEvents());
    all.put("NodeBandwidth", Map.of("oversubscribed", nodeBandwidth(null), "measured", nodeBandwidth(traffic())));
    Progress progress = new Progress("events-2", T, true);
    all.put("Progress", Map.of("idle", progress));
    all.put("WorkloadChange", Map.of(
        "move", new WorkloadChange("node-a", "node-b", T, "e-7", null),
        "progress", new WorkloadChange(null, null, T, "events-2", progress)));
    all.put("WorkloadSpread", Map.of("two-nodes", new WorkloadSpread(
        List.of(new PlacementCount("node-a", 2), new PlacementCount("node-b", 1)))));
    all.put("NodeChange", Map.of(
        "reservation", new NodeChange(T, "e-1", new ReservationChange("uid-1", reservation())),
        "reservation-removed", new NodeChange(T, "e-2", new ReservationChange("uid-1", null)),
        "locality", new NodeChange(T, "e-3", new LocalityChange("lab/rs-uid-1", true)),
        "presence", new NodeChange(T, "e-4", new PresenceChange(false)),
        "spec", new NodeChange(T, "e-5", new SpecChange(new CapacitySpec(null, null, 500L, 400L))),
        "reservation-assumed", new NodeChange(T, "e-6", new ReservationChange("uid-4", assumed())),
        "progress", new NodeChange(T, "workloads-1", new Progress("workloads-1", T, false)),
        "traffic", new NodeChange(T, "e-7", sample())));
    all.put("NodeSummary", Map.of(
        "oversubscribed", nodeSummary(null),
        "measured", nodeSummary(new TrafficState(T, "node-exporter http://10.0.0.5:9100/metrics",
            sample().getInterfaces(), new TrafficFigures(120.5, 33.25), 10_000L))));
    return all;
  }

  private static Map<String, SpecificRecord> clusterEvents() {
    return Map.of(
        "pod-observed", event(new PodObserved("uid-1", "lab", "iperf-0", "node-a", "Running", false,
            new TreeMap<>(Map.of("kubernetes.io/egress-bandwidth", "100M", "ovn.kubernetes.io/ingress_rate", "20")),
            OWNER, "10.1.2.3")),
        "pod-observed-minimal", event(new PodObserved("uid-2", "lab", "bare", "", "Pending", true,
            Map.of(), null, null)),
        "pod-gone", event(new PodGone("uid-1", "lab", "iperf-0", "node-a")),
        "node-observed", event(new NodeObserved("node-a", Map.of("bandwidth.vaclab.org/network-ul", "10000"))),
        "node-gone", event(new NodeGone("node-a")),
        "capacity-set", event(new CapacitySet("node-a", new CapacitySpec(40000L, 40000L, 10000L, null))),
        "capacity-cleared", event(new CapacitySet("node-a", null)),
        "resync", event(new Resync("relist-1", 0, true, T, List.of("uid-1", "uid-3"), List.of("node-a"))),
        "pod-assumed", event(new PodAssumed("uid-4", "lab", "iperf-1", "node-b",
            Map.of("kubernetes.io/egress-bandwidth", "100M"), OWNER, T.plusSeconds(30), "bwledger-projector-0")),
        "traffic-sampled", event(sample()));
  }

  private static TrafficSampled sample() {
    return new TrafficSampled("node-a", T, "node-exporter http://10.0.0.5:9100/metrics", List.of(
        new InterfaceCounters("eth0", 9_876_543_210L, 1_234_567_890L),
        new InterfaceCounters("eth1", 42L, 7L)));
  }

  private static NodeSummary nodeSummary(TrafficState traffic) {
    return new NodeSummary(true, new CapacitySpec(null, null, 100L, null), List.of("lab/rs-uid-1"), 2,
        new LinkFigures(100L, 20L, 150L, 20L), List.of("network-ul"), T, T, "e-9", traffic);
  }

  private static Traffic traffic() {
    return new Traffic(new TrafficFigures(120.5, 33.25), T, 10_000L, "node-exporter http://10.0.0.5:9100/metrics",
        new TrafficFigures(1.205, 0.03325), new TrafficFigures(-29.5, 13.25), new TrafficFigures(-50.0, 966.75));
  }

  private static ClusterEvent event(Object payload) {
    return new ClusterEvent("e-" + payload.getClass().getSimpleName(), T, "4711", payload);
  }

  private static Reservation reservation() {
    return new Reservation("uid-1", "lab", "iperf-0", "10.1.2.3", OWNER, ReservationState.ACTIVE, null, 100L, 20L, true);
  }

  private static Reservation assumed() {
    return new Reservation("uid-4", "lab", "iperf-1", null, OWNER, ReservationState.ASSUMED, null, 100L, 0L, false);
  }

  private static NodeBandwidth nodeBandwidth(Traffic traffic) {
    Reservation invalid = new Reservation("uid-9", "lab", "broken", null, null, ReservationState.INVALID,
        "kubernetes.io/egress-bandwidth: \"abc\" is not a quantity", 0L, 0L, false);
    return new NodeBandwidth("node-a", new CapacitySpec(null, null, 100L, null),
        new LinkFigures(20000L, 20000L, 100L, 1000L),
        new LinkFigures(100L, 20L, 150L, 20L),
        new LinkFigures(19900L, 19980L, -50L, 980L),
        List.of(reservation(), assumed(), invalid),
        List.of("network-ul"), T, T, "e-9", traffic);
  }
}
