package org.bwledger.ledger.fold;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link StateTable} in memory, whose scans come in key order as a Kafka Streams store's do. Its
 * entries live in a hash map, so reading and overwriting a key walks no tree. It comes in two
 * kinds, chosen per table by how it is scanned:
 * <ul>
 *   <li>{@link #indexed()} also keeps a sorted index of its keys, changed only when a key comes or
 *       goes: for tables scanned by range on the fold's path (due deadlines, on every event);</li>
 *   <li>{@link #unindexed()} sorts when scanned: for tables only scanned whole, and rarely (a
 *       resync's relist, the end of a replay), which then pay nothing as pods come and go.</li>
 * </ul>
 */
public final class MemoryTable<V> implements StateTable<V> {

  private final Map<String, V> entries = new HashMap<>();
  private final NavigableSet<String> index;

  private MemoryTable(NavigableSet<String> index) {
    this.index = index;
  }

  /** A hash table with a sorted index of its keys, for range scans on the fold's path. */
  public static <V> MemoryTable<V> indexed() {
    return new MemoryTable<>(new TreeSet<>());
  }

  /** A table sorted when scanned, for scans that are rare. */
  public static <V> MemoryTable<V> unindexed() {
    return new MemoryTable<>(null);
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
    NavigableSet<String> keys = keys();
    return copy(prefix.isEmpty() ? keys : keys.subSet(prefix, true, prefix + Character.MAX_VALUE, false));
  }

  @Override
  public SortedMap<String, V> upTo(String last) {
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
