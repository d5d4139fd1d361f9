package org.bwledger.projector.admission;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bwledger.ledger.rules.BandwidthRequest;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.projector.nodes.NodeMarking;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * What admission decides about a pod before it exists, with the fold's own parser, so that a pod the
 * API server lets in is one the ledger counts as asked.
 * <ul>
 *   <li>{@link #validate}: a pod whose bandwidth annotations do not parse is refused, with the reason
 *       the ledger would give its Invalid reservation.
 *   <li>{@link #fits}: that, and a pod that asks more than any node's network capacity is refused.
 *   <li>{@link #tolerate}: a pod that declares no bandwidth gets a toleration of the bandwidth-fit
 *       taint, so the taint repels only pods that need room.
 * </ul>
 */
public final class PodAdmission {

  /**
   * An answer: allowed or refused with why, and what to change in the pod (JSON Patch operations).
   *
   * @param patch JSON Patch operations; empty for none
   */
  public record Decision(boolean allowed, String reason, List<Map<String, Object>> patch) {
    static final Decision ALLOWED = new Decision(true, null, List.of());

    static Decision refused(String reason) {
      return new Decision(false, reason, List.of());
    }
  }

  /** What {@link #tolerate} adds: the taint {@code --taint-nodes} puts on unfit nodes. */
  static final Toleration BANDWIDTH_FIT = new Toleration("NoSchedule", NodeMarking.KEY, "Equal", null, "false");

  private final PodDemand.Reader reader;
  private final Supplier<List<NodeBandwidth>> nodes;

  /** @param nodes every node's books now; a failure to read them lets the pod in (see {@link #fits}) */
  public PodAdmission(PodDemand.Reader reader, Supplier<List<NodeBandwidth>> nodes) {
    this.reader = reader;
    this.nodes = nodes;
  }

  /** Refuses a pod whose bandwidth annotations do not parse. */
  public Decision validate(Pod pod) {
    return validate(reader.request(pod));
  }

  private static Decision validate(BandwidthRequest request) {
    return request.declared() && !request.isValid()
        ? Decision.refused("bandwidth annotations do not parse: " + request.invalidReason())
        : Decision.ALLOWED;
  }

  /**
   * Refuses what {@link #validate} refuses, and a pod that asks more network bandwidth, either way,
   * than the largest capacity of any node. No node known (the books not read yet) refuses nothing:
   * admission must not stop a cluster for want of a projector.
   */
  public Decision fits(Pod pod) {
    BandwidthRequest request = reader.request(pod);
    Decision valid = validate(request);
    if (!valid.allowed() || !request.declared()) {
      return valid;
    }
    List<NodeBandwidth> known = nodes.get();
    if (known.isEmpty()) {
      return Decision.ALLOWED;
    }
    long ul = known.stream().mapToLong(node -> node.getCapacity().getNetworkUlMbps()).max().orElseThrow();
    long dl = known.stream().mapToLong(node -> node.getCapacity().getNetworkDlMbps()).max().orElseThrow();
    if (request.ulMbps() > ul || request.dlMbps() > dl) {
      return Decision.refused("the pod asks " + request.ulMbps() + "/" + request.dlMbps()
          + " Mbit/s (up/down) and no node has that much network capacity: the largest is " + ul + "/" + dl
          + " over " + known.size() + " nodes");
    }
    return Decision.ALLOWED;
  }

  /** Adds a toleration of the bandwidth-fit taint to a pod that declares no bandwidth and has none. */
  public Decision tolerate(Pod pod) {
    if (reader.request(pod).declared()) {
      return Decision.ALLOWED;
    }
    List<Toleration> tolerations = pod.getSpec() == null ? null : pod.getSpec().getTolerations();
    if (tolerations != null && tolerations.stream().anyMatch(PodAdmission::coversBandwidthFit)) {
      return Decision.ALLOWED;
    }
    Map<String, Object> toleration = Map.of("key", BANDWIDTH_FIT.getKey(), "operator", BANDWIDTH_FIT.getOperator(),
        "value", BANDWIDTH_FIT.getValue(), "effect", BANDWIDTH_FIT.getEffect());
    Map<String, Object> operation = tolerations == null || tolerations.isEmpty()
        ? Map.of("op", "add", "path", "/spec/tolerations", "value", List.of(toleration))
        : Map.of("op", "add", "path", "/spec/tolerations/-", "value", toleration);
    return new Decision(true, null, List.of(operation));
  }

  /** A toleration that already lets the pod onto an unfit node: this key (or every key), NoSchedule (or every effect). */
  private static boolean coversBandwidthFit(Toleration toleration) {
    boolean key = toleration.getKey() == null || toleration.getKey().isEmpty()
        ? "Exists".equals(toleration.getOperator()) : toleration.getKey().equals(NodeMarking.KEY);
    boolean effect = toleration.getEffect() == null || toleration.getEffect().isEmpty()
        || toleration.getEffect().equals("NoSchedule");
    boolean value = "Exists".equals(toleration.getOperator()) || "false".equals(toleration.getValue());
    return key && effect && value;
  }
}
