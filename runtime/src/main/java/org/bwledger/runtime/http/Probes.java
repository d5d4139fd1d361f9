package org.bwledger.runtime.http;

import java.util.function.Supplier;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.process.Health;

/**
 * What a kubelet calls on every bwledger process, open to all and on a listener of its own so that no
 * load on the API can make a probe time out: {@code /healthz} (liveness) and {@code /readyz}
 * (readiness, with the reason when not ready).
 */
public final class Probes {

  private Probes() {}

  /** The probes of a process whose health {@code health} tells. */
  public static Router router(Supplier<Health> health) {
    return Router.withTextErrors(Guard.NONE)
        .get("/healthz", Access.OPEN, call -> {
          Health now = health.get();
          return now.live() ? Reply.text(200, "ok\n") : Reply.text(503, "not live: " + now.reason() + "\n");
        })
        .get("/readyz", Access.OPEN, call -> {
          Health now = health.get();
          return now.ready() ? Reply.text(200, "ok\n") : Reply.text(503, "not ready: " + now.reason() + "\n");
        });
  }
}
