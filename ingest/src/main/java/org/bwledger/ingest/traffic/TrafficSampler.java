package org.bwledger.ingest.traffic;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bwledger.ingest.publish.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every node's network counters each interval, from node-exporter or from Prometheus, and
 * appends them to the log as {@code TrafficSampled} events; the fold turns two samples into a rate.
 */
public final class TrafficSampler implements AutoCloseable {

  /** One round over every node of a source. */
  interface Round {
    /** The source, for the log. */
    String describe();

    void sampleEveryNode();
  }

  private static final Logger log = LoggerFactory.getLogger(TrafficSampler.class);

  private final TrafficSettings settings;
  private final Round round;
  private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-traffic-sampler"));

  public TrafficSampler(TrafficSettings settings, KubernetesClient client, EventLog events, Clock clock,
      MeterRegistry metrics) {
    this.settings = settings;
    TrafficLog samples = new TrafficLog(events, clock, metrics);
    if (settings.source() instanceof TrafficSettings.NodeExporters exporters) {
      this.round = new NodeExporterSampler(client, exporters, settings, samples, clock);
    } else {
      this.round = new PrometheusSampler((TrafficSettings.Prometheus) settings.source(), settings, samples);
    }
  }

  /** Samples every node now, then every interval. */
  public void start() {
    rounds.scheduleAtFixedRate(() -> {
      try {
        round.sampleEveryNode();
      } catch (RuntimeException e) {
        log.warn("A traffic sampling round failed: {}", e.toString()); // the next round tries again
      }
    }, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    log.info("Sampling traffic every {} from {}", settings.interval(), round.describe());
  }

  @Override
  public void close() throws InterruptedException {
    rounds.shutdownNow();
    rounds.awaitTermination(5, TimeUnit.SECONDS);
  }
}
