package org.bwledger.ingest.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.schemas.event.ClusterEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one informer's notifications into events on the log, in the order the informer delivers
 * them, and tells {@link Relists} when the informer lists.
 */
final class WatchHandler<T extends HasMetadata> implements ResourceEventHandler<T> {

  private static final Logger log = LoggerFactory.getLogger(WatchHandler.class);

  private final WatchedKind<T> kind;
  private final String informer;
  private final EventLog events;
  private final Relists relists;
  private final Clock clock;
  private final Supplier<String> eventIds;
  private final Counter untranslatable;

  WatchHandler(WatchedKind<T> kind, String informer, EventLog events, Relists relists, Clock clock,
      Supplier<String> eventIds, Counter untranslatable) {
    this.kind = kind;
    this.informer = informer;
    this.events = events;
    this.relists = relists;
    this.clock = clock;
    this.eventIds = eventIds;
    this.untranslatable = untranslatable;
  }

  @Override
  public void onAdd(T object) {
    publish(object, kind.observed());
  }

  @Override
  public void onUpdate(T before, T after) {
    if (kind.changed().test(before, after)) {
      publish(after, kind.observed());
    }
  }

  /** A delete whose final state is unknown (missed while not watching) is a delete all the same. */
  @Override
  public void onDelete(T object, boolean finalStateUnknown) {
    publish(object, kind.gone());
  }

  @Override
  public void onBeforeList(String resourceVersion) {
    relists.listing(informer, now());
  }

  @Override
  public void onList(String resourceVersion, boolean remainedEmpty) {
    relists.listed(informer);
  }

  private void publish(T object, WatchedKind.Translation<T> translation) {
    ClusterEvent event;
    try {
      event = translation.apply(object, eventIds.get(), now());
    } catch (RuntimeException e) {
      untranslatable.increment();
      log.warn("Cannot turn {} {} into an event: {}", kind.name(), object.getMetadata().getName(), e.toString());
      return;
    }
    try {
      events.append(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.info("Stopped before {} {} reached the log; the next start's resync covers it", kind.name(),
          object.getMetadata().getName());
    }
  }

  /** Milliseconds, as the log stores them, so a relist start and an observation compare as the fold sees them. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
