package org.bwledger.ledger.fold;

import java.util.List;
import java.util.NavigableMap;
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
  public List<String> keys() {
    return List.copyOf(entries.keySet());
  }

  /** The entries, in key order; a live view. */
  public NavigableMap<String, V> entries() {
    return entries;
  }
}
