package org.bwledger.projector.extender;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * The messages of the kube-scheduler extender protocol ({@code k8s.io/kube-scheduler/extender/v1}).
 * The Go types carry no JSON tags, so the field names on the wire are Go's capitalised ones.
 */
public final class ExtenderProtocol {

  /** The highest score prioritize may give ({@code MaxExtenderPriority}). */
  public static final int MAX_SCORE = 10;

  private ExtenderProtocol() {}

  /**
   * What filter and prioritize receive: the pod and its candidate nodes, either whole
   * ({@code nodeCacheCapable: false}) or by name ({@code nodeCacheCapable: true}).
   *
   * @param nodes a {@code NodeList}, kept as it came so filter can return the chosen items untouched
   */
  public record Args(
      @JsonProperty("Pod") Pod pod,
      @JsonProperty("Nodes") CandidateNodes nodes,
      @JsonProperty("NodeNames") List<String> nodeNames) {}

  /**
   * What filter answers, in the form it was asked: the nodes that pass, as {@code Nodes} or
   * {@code NodeNames}, a subset of the candidates; the others with why. Nodes the pod could fit
   * once others leave go in {@code FailedNodes} (preemption may help); a pod whose annotations do
   * not parse fails every node in {@code FailedAndUnresolvableNodes}.
   */
  public record FilterResult(
      @JsonProperty("Nodes") CandidateNodes nodes,
      @JsonProperty("NodeNames") List<String> nodeNames,
      @JsonProperty("FailedNodes") Map<String, String> failedNodes,
      @JsonProperty("FailedAndUnresolvableNodes") Map<String, String> failedAndUnresolvableNodes,
      @JsonProperty("Error") String error) {}

  /** One node's score from prioritize, 0 to {@link #MAX_SCORE}. */
  public record HostPriority(@JsonProperty("Host") String host, @JsonProperty("Score") long score) {}

  /** What bind receives: the pod the scheduler chose a node for, and the node. */
  public record BindingArgs(
      @JsonProperty("PodName") String podName,
      @JsonProperty("PodNamespace") String podNamespace,
      @JsonProperty("PodUID") String podUid,
      @JsonProperty("Node") String node) {}

  /** What bind answers: an empty error when the pod is bound. */
  public record BindingResult(@JsonProperty("Error") String error) {}
}
