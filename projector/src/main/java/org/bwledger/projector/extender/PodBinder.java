package org.bwledger.projector.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Binds pods to nodes as kube-scheduler's default binder does: a {@code Binding} with the pod's uid
 * as precondition, so a pod deleted and created again under the same name is never bound by
 * mistake. Names reach the API only through fabric8's typed calls, after {@link BindRequest} checked
 * them.
 */
public final class PodBinder {

  private final KubernetesClient client;

  public PodBinder(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Binds the pod to the node.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server refuses
   */
  public void bind(BindRequest request) {
    Binding binding = new BindingBuilder()
        .withNewMetadata().withNamespace(request.namespace()).withName(request.pod()).withUid(request.uid())
        .endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(request.node()).endTarget()
        .build();
    client.bindings().inNamespace(request.namespace()).resource(binding).create();
  }

  /** The pod as the API server has it now, if it exists. */
  public Optional<Pod> pod(BindRequest request) {
    return Optional.ofNullable(client.pods().inNamespace(request.namespace()).withName(request.pod()).get());
  }
}
