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
import org.bwledger.schemas.state.Traffic;

/**
 * What the projector may write on Node objects so that the default scheduler, without the extender,
 * steers clear of nodes short of bandwidth: a label saying whether a node fits, and a
 * {@code NoSchedule} taint on those that do not. Both are off unless asked for.
 *
 * @param label whether to label nodes {@value #KEY}{@code =true|false}
 * @param taint whether to taint nodes that do not fit with {@value #KEY}{@code =false:NoSchedule}
 * @param thresholdMbps by reservations, a node fits while its remaining network bandwidth, both ways,
 *     is at least this
 * @param fitBy what a node's fit is judged by
 * @param maxUtilisationPercent by measurement, a node fits while its measured network utilisation,
 *     both ways, is at most this
 */
public record NodeMarking(boolean label, boolean taint, long thresholdMbps, FitBy fitBy, int maxUtilisationPercent) {

  /** What a node's fit is judged by. */
  public enum FitBy {
    /** What its pods reserved: remaining network bandwidth against the threshold. */
    RESERVED,
    /**
     * What its interfaces carried: measured utilisation against the maximum, once two consecutive
     * samples agree; an unknown measurement leaves the mark as it was.
     */
    MEASURED,
    /** Both: it fits when its reservations leave room and, while measured, its traffic does too. */
    BOTH
  }

  /**
   * The label's key, and the taint's. Not under {@code networking.vaclab.org/}: ingest carries a
   * node's labels with that prefix into the log as capacity hints, and a mark must not feed back.
   */
  public static final String KEY = "scheduling.vaclab.org/bandwidth-fit";

  /** Nothing written on nodes. */
  public static final NodeMarking OFF = new NodeMarking(false, false, 1);

  /** Marks judged by reservations alone. */
  public NodeMarking(boolean label, boolean taint, long thresholdMbps) {
    this(label, taint, thresholdMbps, FitBy.RESERVED, 80);
  }

  public NodeMarking {
    if (maxUtilisationPercent < 0) {
      throw new IllegalArgumentException("a utilisation of " + maxUtilisationPercent + "% cannot be reached");
    }
  }

  public boolean enabled() {
    return label || taint;
  }

  /** Whether a node in {@code state} fits by its reservations: enough network bandwidth left each way. */
  public boolean fitsReserved(NodeBandwidth state) {
    return state.getRemaining().getNetworkUlMbps() >= thresholdMbps
        && state.getRemaining().getNetworkDlMbps() >= thresholdMbps;
  }

  /** Whether one sample of a node's traffic fits: utilisation within the maximum each way; null when unknown. */
  public Boolean fitsMeasured(NodeBandwidth state) {
    Traffic traffic = state.getTraffic();
    if (traffic == null || traffic.getMeasured() == null) {
      return null;
    }
    double most = maxUtilisationPercent / 100.0;
    return traffic.getUtilisation().getUl() <= most && traffic.getUtilisation().getDl() <= most;
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
