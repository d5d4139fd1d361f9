package org.bwledger.projector.rest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Each node's answer, rendered once a state: rendering a node (decoding its reservations, building
 * its Bandwidth object, writing the JSON) is nine tenths of a lookup's cost, and a node is read far
 * more often than it changes.
 *
 * <p>A change is announced here once the store holds it, and counted. A rendering is stamped with
 * the count read before its store read, and is kept only if no change to its node was counted
 * since: a state rendered while it was being replaced is served to that one caller, never
 * kept. At most {@code capacity} nodes are kept, the least recently read evicted first; an eviction
 * raises the stamp a rendering needs to be kept, so that evicting a node's change cannot let an
 * older rendering of it back in.
 */
final class RenderedNodes {

  /** A node's answer as of a count of changes, or (body null) that it changed at that count. */
  private record Entry(long asOf, byte[] body) {}

  private final AtomicLong changes;
  private final int capacity;
  /** Least recently used first. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  /** The latest stamp evicted: a rendering from before it may be of a state that an evicted change replaced. */
  private long evictedUpTo;

  /** @param changes counts node changes; shared with the answers computed from every node */
  RenderedNodes(AtomicLong changes, int capacity) {
    this.changes = changes;
    this.capacity = capacity;
  }

  /** {@code node} has a new state (or none), which its store already holds. */
  synchronized void changed(String node) {
    keep(node, new Entry(changes.incrementAndGet(), null));
  }

  /** The node's answer: kept, or rendered by {@code render} from the store now (not holding others up). */
  byte[] get(String node, Supplier<byte[]> render) {
    synchronized (this) {
      Entry kept = entries.get(node);
      if (kept != null && kept.body() != null) {
        return kept.body();
      }
    }
    long asOf = changes.get();
    byte[] body = render.get();
    synchronized (this) {
      Entry now = entries.get(node);
      if (now == null ? asOf >= evictedUpTo : asOf >= now.asOf()) {
        keep(node, new Entry(asOf, body));
      }
    }
    return body;
  }

  /** How many nodes are kept, changes included. */
  synchronized int size() {
    return entries.size();
  }

  private void keep(String node, Entry entry) {
    entries.put(node, entry);
    Iterator<Entry> leastRecentlyUsed = entries.values().iterator();
    while (entries.size() > capacity) {
      evictedUpTo = Math.max(evictedUpTo, leastRecentlyUsed.next().asOf());
      leastRecentlyUsed.remove();
    }
  }
}
