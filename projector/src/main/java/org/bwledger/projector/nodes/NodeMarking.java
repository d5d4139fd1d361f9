package org.bwledger.projector.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * What the projector may write on Node objects so that the default scheduler, without the extender,
 * steers clear of nodes short of bandwidth: a label saying whether a node fits, and a
 * {@code NoSchedule} taint on those that do not. Both are off unless asked for.
 *
 * @param label whether to label nodes {@value #KEY}{@code =true|false}
 * @param taint whether to taint nodes that do not fit with {@value #KEY}{@code =false:NoSchedule}
 * @param thresholdMbps a node fits while its remaining network bandwidth, both ways, is at least this
 */
public record NodeMarking(boolean label, boolean taint, long thresholdMbps) {

  /**
   * The label's key, and the taint's. Not under {@code networking.vaclab.org/}: ingest carries a
   * node's labels with that prefix into the log as capacity hints, and a mark must not feed back.
   */
  public static final String KEY = "scheduling.vaclab.org/bandwidth-fit";

  /** Nothing written on nodes. */
  public static final NodeMarking OFF = new NodeMarking(false, false, 1);

  public boolean enabled() {
    return label || taint;
  }

  /** Whether a node in {@code state} fits: enough network bandwidth left each way. */
  public boolean fits(NodeBandwidth state) {
    return state.getRemaining().getNetworkUlMbps() >= thresholdMbps
        && state.getRemaining().getNetworkDlMbps() >= thresholdMbps;
  }

  /**
   * {@code node} marked as fitting or not, or {@code null} when it is marked so already. Only this
   * marking's label and taint change; every other label and taint stays as it was.
   */
  public Node marked(Node node, boolean fits) {
    Map<String, String> labelsNow = Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of());
    List<Taint> taintsNow = node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of() : node.getSpec().getTaints();

    Map<String, String> labels = new HashMap<>(labelsNow);
    if (label) {
      labels.put(KEY, Boolean.toString(fits));
    }
    List<Taint> taints = new ArrayList<>(taintsNow);
    taints.removeIf(t -> KEY.equals(t.getKey()));
    if (taint && !fits) {
      taints.add(new Taint("NoSchedule", KEY, null, "false"));
    }
    if (labels.equals(labelsNow) && taints.equals(taintsNow)) {
      return null;
    }
    return new NodeBuilder(node)
        .editMetadata().withLabels(labels).endMetadata()
        .editOrNewSpec().withTaints(taints).endSpec()
        .build();
  }
}
