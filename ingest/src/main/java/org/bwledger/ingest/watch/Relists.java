package org.bwledger.ingest.watch;

import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Supplier;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Resync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link Resync} once the pod and node informers have all listed, on start and after
 * every relist (watch expired, 410 Gone, reconnect), so the fold retires what ingest never saw
 * deleted, such as pods deleted while it was down.
 *
 * <p>The live set is a snapshot of the informers' caches, which hold every object not seen
 * deleted; the resync dates from the earliest list it covers, so the fold keeps whatever was
 * observed since, whichever partition it reads first. The set is cut into chunks that stay well
 * below Kafka's default record limit, and each chunk goes to every partition.
 */
final class Relists {

  /** Bytes of uids and names per chunk: half of Kafka's default 1 MB record limit. */
  static final int CHUNK_BYTES = 512 * 1024;

  private static final Logger log = LoggerFactory.getLogger(Relists.class);

  /**
   * The objects alive in the informers' caches.
   *
   * @param podUids uids of the cached pods
   * @param nodeNames names of the cached nodes
   */
  record LiveObjects(SortedSet<String> podUids, SortedSet<String> nodeNames) {}

  private final Set<String> participants;
  private final Supplier<LiveObjects> live;
  private final EventLog events;
  private final Clock clock;
  private final Supplier<String> ids;
  private final Counter published;
  private final Set<String> listedOnce = new HashSet<>();
  private Instant pendingListStart;

  /**
   * @param participants the informers whose lists a resync covers (pods and nodes, not Bandwidth objects)
   * @param live snapshots the informers' caches
   */
  Relists(Set<String> participants, Supplier<LiveObjects> live, EventLog events, Clock clock,
      Supplier<String> ids, Counter published) {
    this.participants = Set.copyOf(participants);
    this.live = live;
    this.events = events;
    this.clock = clock;
    this.ids = ids;
    this.published = published;
  }

  /** An informer is about to list. */
  synchronized void listing(String informer, Instant at) {
    if (participants.contains(informer) && (pendingListStart == null || at.isBefore(pendingListStart))) {
      pendingListStart = at;
    }
  }

  /** An informer has listed and delivered what the list changed; publishes a resync once all have. */
  void listed(String informer) {
    Instant relistStart;
    synchronized (this) {
      if (!participants.contains(informer)) {
        return;
      }
      listedOnce.add(informer);
      if (listedOnce.size() < participants.size() || pendingListStart == null) {
        return;
      }
      relistStart = pendingListStart;
      pendingListStart = null;
    }
    try {
      publish(relistStart, live.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.info("Stopped while publishing a resync; the next start publishes another");
    }
  }

  private void publish(Instant relistStart, LiveObjects objects) throws InterruptedException {
    String resyncId = ids.get();
    List<Resync> chunks = chunks(resyncId, relistStart, objects);
    for (Resync chunk : chunks) {
      events.broadcast(new ClusterEvent(ids.get(), clock.instant().truncatedTo(ChronoUnit.MILLIS), "", chunk));
    }
    published.increment();
    log.info("Resync {}: {} live pods and {} nodes as of {}, in {} chunks", resyncId, objects.podUids().size(),
        objects.nodeNames().size(), relistStart, chunks.size());
  }

  /** Cuts the live set into chunks of at most {@link #CHUNK_BYTES}: pod uids first, then node names. */
  static List<Resync> chunks(String resyncId, Instant relistStart, LiveObjects objects) {
    List<Resync> chunks = new ArrayList<>();
    List<String> pods = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    int bytes = 0;
    for (String uid : objects.podUids()) {
      if (bytes + size(uid) > CHUNK_BYTES) {
        chunks.add(new Resync(resyncId, chunks.size(), false, relistStart, pods, List.of()));
        pods = new ArrayList<>();
        bytes = 0;
      }
      pods.add(uid);
      bytes += size(uid);
    }
    for (String name : objects.nodeNames()) {
      if (bytes + size(name) > CHUNK_BYTES) {
        chunks.add(new Resync(resyncId, chunks.size(), false, relistStart, pods, nodes));
        pods = new ArrayList<>();
        nodes = new ArrayList<>();
        bytes = 0;
      }
      nodes.add(name);
      bytes += size(name);
    }
    chunks.add(new Resync(resyncId, chunks.size(), true, relistStart, pods, nodes));
    return chunks;
  }

  private static int size(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length + 2;
  }
}
