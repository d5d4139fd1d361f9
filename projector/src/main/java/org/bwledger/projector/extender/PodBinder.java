package org.bwledger.projector.extender;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Binds pods to nodes as kube-scheduler's default binder does: a {@code Binding} posted to the pod's
 * {@code binding} subresource, with the pod's uid as precondition, so a pod deleted and created again
 * under the same name is never bound by mistake.
 */
public final class PodBinder {

  private final KubernetesClient client;

  public PodBinder(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Binds the pod to {@code node}.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server refuses
   */
  public void bind(String namespace, String pod, String uid, String node) {
    Binding binding = new BindingBuilder()
        .withNewMetadata().withNamespace(namespace).withName(pod).withUid(uid).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget()
        .build();
    client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/binding", "POST", binding);
  }

  /** The pod as the API server has it now, if it exists. */
  public Optional<Pod> pod(String namespace, String name) {
    return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
  }
}
