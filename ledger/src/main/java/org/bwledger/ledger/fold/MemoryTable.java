package org.bwledger.ledger.fold;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;

/** A {@link StateTable} in memory, ordered by key as a Kafka Streams store is. */
public final class MemoryTable<V> implements StateTable<V> {

  private final NavigableMap<String, V> entries = new TreeMap<>();

  @Override
  public V get(String key) {
    return entries.get(key);
  }

  @Override
  public void put(String key, V value) {
    if (value == null) {
      entries.remove(key);
    } else {
      entries.put(key, value);
    }
  }

  @Override
  public SortedMap<String, V> scan(String prefix) {
    return new TreeMap<>(prefix.isEmpty() ? entries : entries.subMap(prefix, prefix + Character.MAX_VALUE));
  }

  @Override
  public SortedMap<String, V> upTo(String last) {
    if (entries.isEmpty() || entries.firstKey().compareTo(last) > 0) {
      return Collections.emptySortedMap(); // the usual answer, asked once per event
    }
    return new TreeMap<>(entries.headMap(last, true));
  }
}
