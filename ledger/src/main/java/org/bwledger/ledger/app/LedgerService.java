package org.bwledger.ledger.app;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.http.ServiceListeners;
import org.bwledger.runtime.kafka.FatalFailure;
import org.bwledger.runtime.kafka.SharedTopics;
import org.bwledger.runtime.metrics.ProcessMetrics;
import org.bwledger.runtime.process.Health;
import org.bwledger.runtime.process.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live ledger: makes sure its topics exist, then runs the fold until stopped, serving its
 * probes and metrics meanwhile.
 */
public final class LedgerService implements Service {

  private static final Logger log = LoggerFactory.getLogger(LedgerService.class);

  private final LedgerConfig config;
  private final Guard guard;
  private final ProcessMetrics metrics = new ProcessMetrics();
  private final CompletableFuture<String> failure = new CompletableFuture<>();
  private volatile KafkaStreams streams;
  private volatile FatalFailure fatal;
  private KafkaStreamsMetrics streamsMetrics;
  private ServiceListeners listeners;

  /** @param guard who may read the metrics */
  public LedgerService(LedgerConfig config, Guard guard) {
    this.config = config;
    this.guard = guard;
  }

  /** Serves the probes, creates missing topics and starts the fold; returns once it is starting. */
  @Override
  public void start() throws Exception {
    metrics.watch(this::health);
    listeners = ServiceListeners.start("ledger", config.serving(), this::health,
        metrics.addTo(Router.withTextErrors(guard)));
    int partitions = SharedTopics.ensureAndCount(config.kafka(), config.kafka().topics().clusterEvents().name());
    Properties properties = config.streamsProperties();
    properties.put(LedgerTopology.METRICS_CONFIG, metrics.registry());
    LedgerTopology.ORDERED_STAGES.forEach(stage -> LedgerTopology.lateChanges(metrics.registry(), stage)); // from zero
    DeadLetterHandler.registerCounters(metrics.registry());
    KafkaStreams fold = new KafkaStreams(
        LedgerTopology.build(config.kafka().topics(), config.rules(), config.emitInterval(), partitions), properties);
    fold.setUncaughtExceptionHandler(e -> {
      fatal = FatalFailure.report("Ledger", e, config.stateDir(), log);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    fold.setStateListener((now, before) -> {
      log.info("Ledger {} (was {})", now, before);
      if (now == KafkaStreams.State.ERROR) {
        failure.complete(fatal == null ? "the fold failed" : fatal.toString());
      }
    });
    streamsMetrics = new KafkaStreamsMetrics(fold);
    streamsMetrics.bindTo(metrics.registry());
    streams = fold;
    try {
      fold.start();
    } catch (StreamsException e) { // what it keeps on disk at start cannot be read
      fatal = FatalFailure.report("Ledger", e, config.stateDir(), log);
      failure.complete(fatal.toString());
    }
    log.info("Ledger folding {} into {} on {}", config.kafka().topics().clusterEvents().name(),
        config.kafka().topics().nodeBandwidth().name(), config.kafka().bootstrapServers());
  }

  /** Completes when the fold has stopped for good. */
  @Override
  public CompletableFuture<String> stoppedForGood() {
    return failure;
  }

  /** Where the probes and the metrics are served. */
  public ServiceListeners listeners() {
    return listeners;
  }

  @Override
  public Health health() {
    KafkaStreams fold = streams;
    FatalFailure stopped = fatal;
    return stopped != null ? Health.dead(stopped.toString()) : health(fold == null ? null : fold.state());
  }

  /** Live unless the fold stopped or failed; ready while it runs (not while it rebalances or restores). */
  static Health health(KafkaStreams.State state) {
    if (state == null) {
      return Health.notReady("starting");
    }
    boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
        && state != KafkaStreams.State.PENDING_ERROR;
    return new Health(live, state == KafkaStreams.State.RUNNING, "Kafka Streams is " + state);
  }

  @Override
  public void close() {
    if (streams != null) {
      // Leave the group: a restarted member is not kept waiting for the old one's session to expire.
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      if (fatal != null && fatal.localState()) {
        streams.cleanUp(); // the next start restores the stores from their changelogs
      }
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (listeners != null) {
      listeners.close();
    }
    metrics.close();
  }
}
