package org.bwledger.runtime.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How a process checks its callers.
 *
 * @param cacheTtl how long a TokenReview's or SubjectAccessReview's answer stands
 */
public record AuthSettings(AuthMode mode, Duration cacheTtl) {

  /** Kubernetes' own checks, each answer kept ten seconds. */
  public static AuthSettings defaults() {
    return new AuthSettings(AuthMode.kubernetes, Duration.ofSeconds(10));
  }

  /** The guard these settings describe; {@code client} is asked for only when callers are checked. */
  public Guard guard(Supplier<KubernetesClient> client) {
    return mode == AuthMode.none ? Guard.NONE : new KubernetesGuard(client.get(), cacheTtl);
  }
}
