package org.bwledger.ledger.app;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.bwledger.ledger.topology.LedgerTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live ledger: makes sure its topics exist, then runs the fold until stopped. */
public final class LedgerService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LedgerService.class);

  private final LedgerConfig config;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private KafkaStreams streams;

  public LedgerService(LedgerConfig config) {
    this.config = config;
  }

  /** Creates missing topics and starts the fold; returns once it is starting. */
  public void start() throws ExecutionException, InterruptedException {
    ensureTopics();
    streams = new KafkaStreams(
        LedgerTopology.build(config.topics(), config.rules(), config.emitInterval()), config.streamsProperties());
    streams.setStateListener((now, before) -> {
      log.info("Ledger {} (was {})", now, before);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      log.error("Ledger stream thread failed; stopping", e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    log.info("Ledger folding {} into {} on {}", config.topics().clusterEvents().name(),
        config.topics().nodeBandwidth().name(), config.bootstrapServers());
  }

  /** Kafka Streams' state: RUNNING when folding; null before {@link #start}. */
  public KafkaStreams.State state() {
    return streams == null ? null : streams.state();
  }

  /** Publishes Kafka Streams' metrics to {@code metrics}; call after {@link #start}. */
  public void bindMetrics(MeterRegistry metrics) {
    new KafkaStreamsMetrics(streams).bindTo(metrics);
  }

  /** Blocks until the fold has stopped, closed or failed; true when it failed. */
  public boolean awaitStop() throws InterruptedException {
    stopped.await();
    return streams.state() == KafkaStreams.State.ERROR;
  }

  @Override
  public void close() {
    if (streams != null) {
      // Leave the group: a restarted member is not kept waiting for the old one's session to expire.
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
  }

  private void ensureTopics() throws ExecutionException, InterruptedException {
    Properties adminProps = new Properties();
    adminProps.putAll(config.streamsProperties());
    try (Admin admin = Admin.create(adminProps)) {
      config.topics().createMissing(admin, config.partitions())
          .forEach(topic -> log.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions()));
    }
  }
}
