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
    return copy(prefix.isEmpty() ? store.all() : store.prefixScan(prefix, KEYS));
  }

  @Override
  public SortedMap<String, V> upTo(String last) {
    return copy(store.range(null, last));
  }

  /** The entries {@code matching} yields, copied so the caller may write to the store meanwhile. */
  private SortedMap<String, V> copy(KeyValueIterator<String, V> matching) {
    SortedMap<String, V> entries = new TreeMap<>();
    try (matching) {
      matching.forEachRemaining(entry -> entries.put(entry.key, entry.value));
    }
    return entries;
  }
}
