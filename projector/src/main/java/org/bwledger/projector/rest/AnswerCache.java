package org.bwledger.projector.rest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An answer computed from every node, kept until a node changes: a list of thousands of nodes decodes
 * every state, and most requests come between two changes. Computed once however many ask at once.
 */
final class AnswerCache {

  private final AtomicLong changes;
  private long version = -1;
  private byte[] body;

  /** @param changes counts node changes; the answer is computed again once it moved */
  AnswerCache(AtomicLong changes) {
    this.changes = changes;
  }

  synchronized byte[] get(Supplier<byte[]> compute) {
    long current = changes.get();
    if (version != current) {
      body = compute.get();
      version = current;
    }
    return body;
  }
}
