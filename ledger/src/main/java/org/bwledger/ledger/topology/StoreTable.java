package org.bwledger.ledger.topology;

import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bwledger.ledger.fold.StateTable;

/** A fold stage's {@link StateTable} on a Kafka Streams key-value store. */
final class StoreTable<V> implements StateTable<V> {

  private static final StringSerializer KEYS = new StringSerializer();

  private final KeyValueStore<String, V> store;

  StoreTable(KeyValueStore<String, V> store) {
    this.store = store;
  }

  @Override
  public V get(String key) {
    return store.get(key);
  }

  @Override
  public void put(String key, V value) {
    store.put(key, value);
  }

  @Override
  public SortedMap<String, V> scan(String prefix) {
    SortedMap<String, V> entries = new TreeMap<>();
    try (KeyValueIterator<String, V> matching = prefix.isEmpty() ? store.all() : store.prefixScan(prefix, KEYS)) {
      matching.forEachRemaining(entry -> entries.put(entry.key, entry.value));
    }
    return entries;
  }

  @Override
  public SortedMap<String, V> upTo(String last) {
    SortedMap<String, V> entries = new TreeMap<>();
    try (KeyValueIterator<String, V> matching = store.range(null, last)) {
      matching.forEachRemaining(entry -> entries.put(entry.key, entry.value));
    }
    return entries;
  }
}
