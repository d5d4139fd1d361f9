package org.bwledger.projector.topology;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.bwledger.schemas.state.NodeBandwidth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How current the projector's input is, asked of Kafka every few seconds: how far the projector is
 * behind the ledger's output, how old the newest state it holds is, and whether the ledger itself
 * moves. The last tells a quiet cluster (the ledger has read every event and has nothing to
 * publish) from a stopped ledger (events wait in {@code bw.cluster-events} and its group's offsets
 * stand still): after {@code staleAfter} of the latter the projector is not ready, saying why, rather
 * than serve old books as current.
 */
public final class InputProgress implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InputProgress.class);
  private static final Duration EVERY = Duration.ofSeconds(5);

  private final Admin admin;
  private final String events;
  private final String ledgerGroup;
  private final String states;
  private final String projectorGroup;
  private final Duration staleAfter;
  private final Clock clock;
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-projector-input-progress"));
  private final AtomicReference<Instant> newestState = new AtomicReference<>();

  private volatile long inputLag;
  private volatile long ledgerLag;
  private long ledgerCommitted = -1;
  private Instant ledgerMovedAt;
  private volatile String stale;

  /**
   * @param events the ledger's input, {@code bw.cluster-events}, and {@code ledgerGroup} its consumer group
   * @param states the ledger's output, {@code bw.node-bandwidth}, and {@code projectorGroup} this projector's group
   * @param staleAfter how long the ledger may stand still with events waiting before the projector says it is stale
   */
  public InputProgress(Admin admin, String events, String ledgerGroup, String states, String projectorGroup,
      Duration staleAfter, Clock clock, MeterRegistry metrics) {
    this.admin = admin;
    this.events = events;
    this.ledgerGroup = ledgerGroup;
    this.states = states;
    this.projectorGroup = projectorGroup;
    this.staleAfter = staleAfter;
    this.clock = clock;
    this.ledgerMovedAt = clock.instant();
    Gauge.builder("bwledger.projector.input.lag.records", () -> inputLag)
        .description("Node states in the ledger's output that this projector has not committed yet")
        .register(metrics);
    Gauge.builder("bwledger.projector.input.age.seconds", this::ageSeconds)
        .description("Age of the newest node state this projector holds, by the time of its last event")
        .register(metrics);
    Gauge.builder("bwledger.projector.ledger.lag.records", () -> ledgerLag)
        .description("Events of bw.cluster-events the ledger has not committed yet")
        .register(metrics);
  }

  /** Asks Kafka now and every few seconds until closed. */
  public void start() {
    checks.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A state came in: the newest of them dates how current the projector is. */
  public void stateArrived(NodeBandwidth state) {
    if (state != null) {
      newestState.accumulateAndGet(state.getUpdatedAt(), (a, b) -> a == null || b.isAfter(a) ? b : a);
    }
  }

  /** Why the projector's books are stale, or empty while they are current. */
  public Optional<String> stale() {
    return Optional.ofNullable(stale);
  }

  /** One look at the offsets; public for tests, which call it rather than wait for the schedule. */
  public synchronized void check() {
    try {
      inputLag = lag(states, projectorGroup);
      long committed = committed(events, ledgerGroup);
      ledgerLag = end(events) - committed;
      Instant now = clock.instant();
      if (committed != ledgerCommitted || ledgerLag <= 0) {
        ledgerCommitted = committed;
        ledgerMovedAt = now;
      }
      boolean stoodStill = Duration.between(ledgerMovedAt, now).compareTo(staleAfter) >= 0;
      String was = stale;
      stale = stoodStill ? "the ledger (group " + ledgerGroup + ") has not moved for " + staleAfter + " while "
          + ledgerLag + " events of " + events + " wait: is it running?" : null;
      if (stale != null && was == null) {
        log.warn("Projector not ready: {}", stale);
      } else if (stale == null && was != null) {
        log.info("The ledger moves again: the projector's books are current");
      }
    } catch (ExecutionException | RuntimeException e) {
      log.debug("Cannot read the offsets of {} and {}: {}", events, states, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private double ageSeconds() {
    Instant newest = newestState.get();
    return newest == null ? Double.NaN : Duration.between(newest, clock.instant()).toMillis() / 1000.0;
  }

  private long lag(String topic, String group) throws ExecutionException, InterruptedException {
    return end(topic) - committed(topic, group);
  }

  private long end(String topic) throws ExecutionException, InterruptedException {
    return TopicOffsets.sum(TopicOffsets.ends(admin, topic));
  }

  private long committed(String topic, String group) throws ExecutionException, InterruptedException {
    return TopicOffsets.sum(TopicOffsets.committed(admin, group, topic));
  }

  @Override
  public void close() {
    checks.shutdownNow();
  }
}
