package org.bwledger.ledger.fold;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link GroupedTable} in memory: a hash map of groups, each a hash map of its keys. Reading or
 * writing an entry hashes the group and the key as they are, rather than a key made of the two,
 * and reading a group walks only that group, with no sorted index over every key to keep.
 */
public final class MemoryGroupedTable<V> implements GroupedTable<V> {

  private final Map<String, Map<String, V>> groups = new HashMap<>();

  @Override
  public V get(String group, String key) {
    Map<String, V> entries = groups.get(group);
    return entries == null ? null : entries.get(key);
  }

  @Override
  public void put(String group, String key, V value) {
    if (value != null) {
      groups.computeIfAbsent(group, g -> new HashMap<>()).put(key, value);
      return;
    }
    Map<String, V> entries = groups.get(group);
    if (entries != null && entries.remove(key) != null && entries.isEmpty()) {
      groups.remove(group);
    }
  }

  @Override
  public List<V> group(String group) {
    Map<String, V> entries = groups.get(group);
    return entries == null ? new ArrayList<>() : new ArrayList<>(entries.values());
  }
}
