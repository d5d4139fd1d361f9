package org.bwledger.projector.topology;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the projector has read the ledger's output up to where it stood when the projector
 * started: its committed offset reached, in every partition, that partition's end offset at start.
 * Until then the stores may show nodes as they were long ago, so the projector is not ready; once
 * there, it hands every node's state on once more, so objects converge even if the projector was
 * down while their node changed.
 */
public final class CatchUp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

  private final Admin admin;
  private final String applicationId;
  private final String topic;
  private final BooleanSupplier running;
  private final Runnable caughtUp;
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-projector-catch-up"));
  private Map<TopicPartition, Long> endAtStart;
  private volatile boolean done;

  /**
   * @param applicationId the projector's Kafka Streams application id: its consumer group
   * @param topic the ledger's output
   * @param running whether the projector's Kafka Streams client runs (offsets mean nothing before)
   * @param caughtUp called when caught up, until it returns without throwing
   */
  public CatchUp(Admin admin, String applicationId, String topic, BooleanSupplier running, Runnable caughtUp) {
    this.admin = admin;
    this.applicationId = applicationId;
    this.topic = topic;
    this.running = running;
    this.caughtUp = caughtUp;
  }

  /** Notes where the ledger's output ends now, and checks every second until caught up. */
  public void start() throws ExecutionException, InterruptedException {
    endAtStart = TopicOffsets.ends(admin, topic);
    checks.scheduleWithFixedDelay(this::caughtUp, 0, 1, TimeUnit.SECONDS);
  }

  /** True once caught up; asks Kafka again when not yet. */
  public synchronized boolean caughtUp() {
    if (done || endAtStart == null || !running.getAsBoolean()) {
      return done;
    }
    try {
      Map<TopicPartition, Long> committed = TopicOffsets.committed(admin, applicationId, topic);
      if (endAtStart.entrySet().stream().allMatch(end -> end.getValue() == 0
          || committed.getOrDefault(end.getKey(), -1L) >= end.getValue())) {
        caughtUp.run(); // may throw while the stores cannot be queried; then the next check tries again
        done = true;
        checks.shutdown();
        log.info("Projector caught up with {}: ready", topic);
      }
    } catch (ExecutionException | RuntimeException e) {
      log.debug("Cannot tell yet whether the projector caught up: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return done;
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
