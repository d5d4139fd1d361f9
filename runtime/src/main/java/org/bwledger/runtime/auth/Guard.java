package org.bwledger.runtime.auth;

import org.bwledger.runtime.http.Call;

/**
 * Decides whether a caller's bearer token grants the {@link Access} a route needs, as Kubernetes
 * components decide it ({@link KubernetesGuard}); or lets everyone in ({@link #NONE}), which a
 * listener allows only on 127.0.0.1.
 */
public interface Guard {

  /** What a guard decided about one call. */
  record Decision(int status, String reason) {
    public static final Decision ALLOWED = new Decision(200, "");

    public boolean allowed() {
      return status == 200;
    }
  }

  /** Everyone may call everything: {@code --auth=none}, for {@code bwctl run} and tests on loopback. */
  Guard NONE = new Guard() {
    @Override
    public boolean authenticates() {
      return false;
    }

    @Override
    public Decision check(Call call, Access access) {
      return Decision.ALLOWED;
    }
  };

  /** False when this guard asks for no credentials. */
  boolean authenticates();

  /** Whether {@code call} may have {@code access}; else 401 (who are you?) or 403 (not you), with why. */
  Decision check(Call call, Access access);
}
