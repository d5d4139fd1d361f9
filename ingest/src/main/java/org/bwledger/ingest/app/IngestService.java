package org.bwledger.ingest.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.ingest.traffic.TrafficSampler;
import org.bwledger.ingest.watch.ClusterWatch;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.http.ServiceListeners;
import org.bwledger.runtime.kafka.SharedTopics;
import org.bwledger.runtime.metrics.ProcessMetrics;
import org.bwledger.runtime.process.Health;
import org.bwledger.runtime.process.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest process: makes sure the log exists, then watches the cluster and appends every change
 * to it (and, when configured, each node's traffic as node-exporter or Prometheus reads it), serving liveness,
 * readiness and metrics meanwhile.
 */
public final class IngestService implements Service {

  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final IngestConfig config;
  private final KubernetesClient client;
  private final Guard guard;
  private final Clock clock;
  private final ProcessMetrics metrics = new ProcessMetrics();
  private volatile EventLog events;
  private volatile ClusterWatch watch;
  private volatile TrafficSampler sampler;
  private ServiceListeners listeners;

  /** @param guard who may read the metrics */
  public IngestService(IngestConfig config, KubernetesClient client, Guard guard, Clock clock) {
    this.config = config;
    this.client = client;
    this.guard = guard;
    this.clock = clock;
  }

  /** Serves the probes, waits until Kafka answers and the log exists, then starts watching. */
  @Override
  public void start() throws Exception {
    metrics.watch(this::health);
    listeners = ServiceListeners.start("ingest", config.serving(), this::health,
        metrics.addTo(Router.withTextErrors(guard)));
    SharedTopics.ensure(config.kafka());
    var topic = config.kafka().topics().clusterEvents();
    events = new EventLog(topic, EventLog.producers(topic, config.producerProperties()), config.bufferedEvents(),
        metrics.registry());
    ClusterWatch starting = new ClusterWatch(client, config.namespaces(),
        new EventTranslator(config.bandwidthAnnotations()), events, clock, metrics.registry());
    starting.start();
    watch = starting;
    if (config.traffic() != null) {
      sampler = new TrafficSampler(config.traffic(), client, events, clock, metrics.registry());
      sampler.start();
    }
  }

  /** Where the probes and the metrics are served. */
  public ServiceListeners listeners() {
    return listeners;
  }

  /** The events held for Kafka, for tests and figures. */
  public EventLog events() {
    return events;
  }

  /** Live unless a watch stopped for good; ready once listed and while Kafka takes events in time. */
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
    if (events.refusal() != null) {
      return Health.notReady("Kafka refuses events for good: " + events.refusal());
    }
    if (events.backPressured()) {
      return Health.notReady("buffer full (" + events.buffered() + " events): waiting for Kafka at "
          + config.kafka().bootstrapServers());
    }
    return Health.OK;
  }

  @Override
  public void close() {
    if (sampler != null) {
      try {
        sampler.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (watch != null) {
      watch.close();
    }
    if (events != null) {
      events.close();
    }
    if (listeners != null) {
      listeners.close();
    }
    metrics.close();
  }
}
