package org.bwledger.ledger.topology;

import java.util.SortedMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bwledger.ledger.fold.MemoryTable;
import org.bwledger.ledger.fold.StateTable;

/**
 * A fold stage's {@link StateTable} on a Kafka Streams store, with its decoded entries mirrored in
 * memory: reads and scans come from the mirror, writes go to both. The store stays the durable
 * copy (changelogged, exactly-once, restored when the task moves); the mirror is loaded from it
 * when the task's processor starts, which Kafka Streams does again after any restore.
 *
 * <p>For the node summaries, read on every change of a node: a read through the store decodes the
 * summary from its bytes each time. A mirror costs the heap of the decoded entries once more.
 */
final class MirroredStoreTable<V> implements StateTable<V> {

  private final KeyValueStore<String, V> store;
  private final MemoryTable<V> mirror = MemoryTable.unindexed();

  MirroredStoreTable(KeyValueStore<String, V> store) {
    this.store = store;
    try (KeyValueIterator<String, V> all = store.all()) {
      all.forEachRemaining(entry -> mirror.put(entry.key, entry.value));
    }
  }

  @Override
  public V get(String key) {
    return mirror.get(key);
  }

  @Override
  public void put(String key, V value) {
    store.put(key, value);
    mirror.put(key, value);
  }

  @Override
  public SortedMap<String, V> scan(String prefix) {
    return mirror.scan(prefix);
  }

  @Override
  public SortedMap<String, V> upTo(String last) {
    return mirror.upTo(last);
  }
}
