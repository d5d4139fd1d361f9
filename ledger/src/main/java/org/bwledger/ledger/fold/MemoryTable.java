package org.bwledger.ledger.fold;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link StateTable} in memory, whose scans come in key order as a Kafka Streams store's do. It
 * comes in three kinds, chosen per table by how it is read:
 * <ul>
 *   <li>{@link #sorted()} keeps its entries in a tree, so a range is copied in order without a
 *       lookup per key: for tables whose ranges are copied about as often as their keys are read
 *       (the live ledger's mirror of a node's reservations, copied at every publish);</li>
 *   <li>{@link #indexed()} keeps its entries in a hash map, so reading and overwriting a key walks no
 *       tree, and a sorted index of its keys, changed only when a key comes or goes: for tables read
 *       by key on every event and scanned by range (replay's reservations, due deadlines);</li>
 *   <li>{@link #unindexed()} keeps a hash map and sorts when scanned: for tables only scanned whole,
 *       and rarely (a resync's relist, the end of a replay), which then pay nothing as pods come and
 *       go.</li>
 * </ul>
 */
public final class MemoryTable<V> implements StateTable<V> {

  private final Map<String, V> entries;
  private final NavigableSet<String> index;

  private MemoryTable(Map<String, V> entries, NavigableSet<String> index) {
    this.entries = entries;
    this.index = index;
  }

  /** A table whose entries live in a tree, for range copies as frequent as reads. */
  public static <V> MemoryTable<V> sorted() {
    return new MemoryTable<>(new TreeMap<>(), null);
  }

  /** A hash table with a sorted index of its keys, for key reads and range scans on the fold's path. */
  public static <V> MemoryTable<V> indexed() {
    return new MemoryTable<>(new HashMap<>(), new TreeSet<>());
  }

  /** A table sorted when scanned, for scans that are rare. */
  public static <V> MemoryTable<V> unindexed() {
    return new MemoryTable<>(new HashMap<>(), null);
  }

  @Override
  public V get(String key) {
    return entries.get(key);
  }

  @Override
  public void put(String key, V value) {
    if (value == null) {
      if (entries.remove(key) != null && index != null) {
        index.remove(key);
      }
    } else if (entries.put(key, value) == null && index != null) {
      index.add(key);
    }
  }

  @Override
  public SortedMap<String, V> scan(String prefix) {
    String end = prefix + Character.MAX_VALUE;
    if (entries instanceof NavigableMap<String, V> tree) {
      return new TreeMap<>(prefix.isEmpty() ? tree : tree.subMap(prefix, true, end, false));
    }
    NavigableSet<String> keys = keys();
    return copy(prefix.isEmpty() ? keys : keys.subSet(prefix, true, end, false));
  }

  @Override
  public SortedMap<String, V> upTo(String last) {
    if (entries instanceof NavigableMap<String, V> tree) {
      return tree.isEmpty() || tree.firstKey().compareTo(last) > 0
          ? Collections.emptySortedMap()
          : new TreeMap<>(tree.headMap(last, true));
    }
    NavigableSet<String> keys = keys();
    if (keys.isEmpty() || keys.first().compareTo(last) > 0) {
      return Collections.emptySortedMap(); // the usual answer, asked once per event
    }
    return copy(keys.headSet(last, true));
  }

  private NavigableSet<String> keys() {
    return index != null ? index : new TreeSet<>(entries.keySet());
  }

  private SortedMap<String, V> copy(NavigableSet<String> range) {
    SortedMap<String, V> copy = new TreeMap<>();
    range.forEach(key -> copy.put(key, entries.get(key)));
    return copy;
  }
}
