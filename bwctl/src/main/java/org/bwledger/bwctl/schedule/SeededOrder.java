package org.bwledger.bwctl.schedule;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * The order in which policies meet nodes, and so break ties: a shuffle of the node names fixed by a
 * seed. Each name's rank depends on the seed and the name alone, so a node keeps its place as others
 * come and go, and the order is the same on every machine.
 */
final class SeededOrder implements Comparator<String> {

  private final long seed;

  SeededOrder(long seed) {
    this.seed = seed;
  }

  @Override
  public int compare(String a, String b) {
    int byRank = Long.compareUnsigned(rank(a), rank(b));
    return byRank != 0 ? byRank : a.compareTo(b);
  }

  /** FNV-1a over the name's bytes, mixed with the seed by SplitMix64's finaliser. */
  private long rank(String node) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : node.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    long z = hash ^ seed;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
