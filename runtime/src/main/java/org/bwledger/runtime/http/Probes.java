package org.bwledger.runtime.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.bwledger.runtime.process.Health;

/**
 * What a kubelet and Prometheus call on every bwledger process: {@code /healthz} (liveness),
 * {@code /readyz} (readiness, with the reason when not ready) and {@code /metrics}.
 */
public final class Probes {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private Probes() {}

  /** Adds the two probes and the metrics to {@code router}. */
  public static Router addTo(Router router, Supplier<Health> health, PrometheusMeterRegistry metrics) {
    return router
        .get("/healthz", call -> {
          Health now = health.get();
          return now.live() ? Reply.text(200, "ok\n") : Reply.text(503, "not live: " + now.reason() + "\n");
        })
        .get("/readyz", call -> {
          Health now = health.get();
          return now.ready() ? Reply.text(200, "ok\n") : Reply.text(503, "not ready: " + now.reason() + "\n");
        })
        .get("/metrics", call -> Reply.of(200, PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8)));
  }
}
