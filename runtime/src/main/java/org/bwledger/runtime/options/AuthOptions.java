package org.bwledger.runtime.options;

import java.time.Duration;
import java.util.Map;
import org.bwledger.runtime.auth.AuthMode;
import org.bwledger.runtime.auth.AuthSettings;
import picocli.CommandLine.Option;

/** How a process checks its callers: Kubernetes' TokenReviews and SubjectAccessReviews, or not at all on 127.0.0.1. */
public final class AuthOptions {

  @Option(names = "--auth", paramLabel = "MODE", defaultValue = "${env:BW_AUTH}",
      description = "How callers of the API and /metrics are checked: kubernetes (a bearer token, by TokenReview and "
          + "SubjectAccessReview) or none (only when listening on 127.0.0.1) (env BW_AUTH, default: ${DEFAULT-VALUE}).")
  AuthMode mode;

  @Option(names = "--auth-cache-ttl", paramLabel = "DURATION", defaultValue = "${env:BW_AUTH_CACHE_TTL}",
      description = "How long a review's answer stands, as an ISO-8601 duration (env BW_AUTH_CACHE_TTL, "
          + "default: ${DEFAULT-VALUE}).")
  Duration cacheTtl;

  /** The defaults of these options, from {@code defaults}. */
  public static Map<String, String> defaults(AuthSettings defaults) {
    return Map.of("--auth", defaults.mode().name(), "--auth-cache-ttl", defaults.cacheTtl().toString());
  }

  /** The settings these options give. */
  public AuthSettings settings() {
    return new AuthSettings(mode, cacheTtl);
  }
}
