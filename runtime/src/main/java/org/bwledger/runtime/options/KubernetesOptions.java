package org.bwledger.runtime.options;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which Kubernetes API a command talks to. Without flags it is found as kubectl finds it: in a pod,
 * its own cluster; elsewhere {@code KUBECONFIG} or {@code ~/.kube/config}, at its current context.
 */
public final class KubernetesOptions {

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The kubeconfig to use (default: KUBECONFIG, or ~/.kube/config; in a pod, its own cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", defaultValue = "${env:BW_KUBE_CONTEXT}",
      description = "The kubeconfig context to use (env BW_KUBE_CONTEXT, default: the current one).")
  String context;

  /** True when the command line named a kubeconfig or a context. */
  public boolean given() {
    return kubeconfig != null || context != null;
  }

  /** A new client of that API; the caller closes it. */
  public KubernetesClient client() {
    Config config = kubeconfig != null
        ? Config.fromKubeconfig(context, kubeconfig.toFile())
        : Config.autoConfigure(context);
    // Watches stream over HTTP, as client-go's and kubectl's do, rather than fabric8's WebSocket
    // default: every API server serves them so, the simulated one of `bwctl run` included.
    config.setOnlyHttpWatches(true);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
