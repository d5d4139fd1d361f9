package org.bwledger.ingest.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.ingest.watch.ClusterWatch;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.Probes;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.kafka.SharedTopics;
import org.bwledger.runtime.metrics.ProcessMetrics;
import org.bwledger.runtime.process.Health;
import org.bwledger.runtime.process.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: makes sure the log exists, then watches the cluster and appends every change
 * to it, serving liveness, readiness and metrics meanwhile.
 */
public final class IngestService implements Service {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final IngestConfig config;
  private final KubernetesClient client;
  private final Clock clock;
  private final ProcessMetrics metrics = new ProcessMetrics();
  private volatile EventLog events;
  private volatile ClusterWatch watch;
  private HttpServer http;

  public IngestService(IngestConfig config, KubernetesClient client, Clock clock) {
    this.config = config;
    this.client = client;
    this.clock = clock;
  }

  /** Serves the probes, waits until Kafka answers and the log exists, then starts watching. */
  @Override
  public void start() throws Exception {
    http = HttpServer.start("ingest", config.http(), Probes.addTo(Router.withTextErrors(), this::health,
        metrics.registry()));
    log.info("Probes and metrics on http://{}:{}/ (healthz, readyz, metrics)", config.http().host(), http.port());
    SharedTopics.ensure(config.kafka());
    var topic = config.kafka().topics().clusterEvents();
    events = new EventLog(topic, EventLog.producers(topic, config.producerProperties()), config.bufferedEvents(),
        metrics.registry());
    ClusterWatch starting = new ClusterWatch(client, config.namespaces(),
        new EventTranslator(config.bandwidthAnnotations()), events, clock, metrics.registry());
    starting.start();
    watch = starting;
  }

  /** The port of the probes and metrics. */
  public int port() {
    return http.port();
  }

  /** The events held for Kafka, for tests and figures. */
  public EventLog events() {
    return events;
  }

  /** Live unless a watch stopped for good; ready once listed and not held up by Kafka. */
  @Override
  public Health health() {
    ClusterWatch watching = watch;
    if (watching == null) {
      return Health.notReady("waiting for Kafka at " + config.kafka().bootstrapServers());
    }
    if (!watching.alive()) {
      return Health.dead("a watch stopped");
    }
    if (!watching.synced()) {
      return Health.notReady("listing the cluster");
    }
    if (events.backPressured()) {
      return Health.notReady("buffer full (" + events.buffered() + " events): waiting for Kafka at "
          + config.kafka().bootstrapServers());
    }
    return Health.OK;
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    if (events != null) {
      events.close();
    }
    if (http != null) {
      http.close();
    }
    metrics.close();
  }
}
