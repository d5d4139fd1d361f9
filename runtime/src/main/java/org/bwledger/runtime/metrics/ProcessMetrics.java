package org.bwledger.runtime.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.process.Health;

/**
 * The metrics registry of a bwledger service, with the JVM's and the process's own metrics bound
 * the same way in every one (memory, garbage collection, threads, classes, CPU, file descriptors,
 * uptime), and the {@code /metrics} endpoint Prometheus scrapes.
 */
public final class ProcessMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ProcessMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** What {@code /metrics} needs: a token whose user may {@code get} that path. */
  public static final Access ACCESS = new Access.OnPath("get", "/metrics");

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Where the service registers its own meters, and what {@code /metrics} scrapes. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Shows the process's health as {@code bwledger_live} and {@code bwledger_ready} (1 or 0), what the
   * probes answer, for alerts that outlast a probe's restarts.
   */
  public void watch(Supplier<Health> health) {
    Gauge.builder("bwledger.live", () -> health.get().live() ? 1 : 0)
        .description("1 while the process is live, as /healthz says").register(registry);
    Gauge.builder("bwledger.ready", () -> health.get().ready() ? 1 : 0)
        .description("1 while the process is ready, as /readyz says").register(registry);
  }

  /** Serves {@code /metrics} on {@code router}, to callers with {@link #ACCESS}. */
  public Router addTo(Router router) {
    return router.get("/metrics", ACCESS,
        call -> Reply.of(200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
