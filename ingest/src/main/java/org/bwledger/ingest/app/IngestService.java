package org.bwledger.ingest.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.bwledger.ingest.events.EventTranslator;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.ingest.watch.ClusterWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: makes sure the log exists, then watches the cluster and appends every change
 * to it, serving liveness, readiness and metrics meanwhile.
 */
public final class IngestService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);
  private static final Duration KAFKA_RETRY = Duration.ofSeconds(2);

  private final IngestConfig config;
  private final KubernetesClient client;
  private final Clock clock;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private EventLog events;
  private ClusterWatch watch;
  private OpsServer ops;

  public IngestService(IngestConfig config, KubernetesClient client, Clock clock) {
    this.config = config;
    this.client = client;
    this.clock = clock;
  }

  /** Serves the probes, waits until Kafka answers and the log exists, then starts watching. */
  public void start() throws IOException, InterruptedException {
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    ops = new OpsServer(config.httpHost(), config.httpPort(), this::health, metrics);
    log.info("Probes and metrics on http://{}:{}/ (healthz, readyz, metrics)", config.httpHost(), ops.port());
    ensureLog();
    var topic = config.topics().clusterEvents();
    events = new EventLog(topic, EventLog.producers(topic, config.producerProperties()), config.bufferedEvents(),
        metrics);
    watch = new ClusterWatch(client, config.namespaces(), new EventTranslator(config.bandwidthAnnotations()), events,
        clock, metrics);
    watch.start();
  }

  /** The port of the probes and metrics. */
  public int opsPort() {
    return ops.port();
  }

  /** The events held for Kafka, for tests and figures. */
  public EventLog events() {
    return events;
  }

  /** What the probes report: live unless a watch stopped for good; ready once listed and not held up by Kafka. */
  public OpsServer.Health health() {
    if (watch == null) {
      return new OpsServer.Health(true, false, "waiting for Kafka at " + config.bootstrapServers());
    }
    if (!watch.alive()) {
      return new OpsServer.Health(false, false, "a watch stopped");
    }
    if (!watch.synced()) {
      return new OpsServer.Health(true, false, "listing the cluster");
    }
    if (events.backPressured()) {
      return new OpsServer.Health(true, false,
          "buffer full (" + events.buffered() + " events): waiting for Kafka at " + config.bootstrapServers());
    }
    return new OpsServer.Health(true, true, "");
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    if (events != null) {
      events.close();
    }
    if (ops != null) {
      ops.close();
    }
    metrics.close();
  }

  /** Creates the log if it is missing (with its retention: forever), retrying until Kafka answers. */
  private void ensureLog() throws InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    props.putAll(config.kafka());
    while (true) {
      try (Admin admin = Admin.create(props)) {
        config.topics().createMissing(admin, config.partitions())
            .forEach(topic -> log.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions()));
        return;
      } catch (ExecutionException e) {
        log.warn("Kafka at {} does not answer ({}); retrying", config.bootstrapServers(), e.getCause().toString());
        Thread.sleep(KAFKA_RETRY.toMillis());
      }
    }
  }
}
