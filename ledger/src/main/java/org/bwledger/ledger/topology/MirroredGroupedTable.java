package org.bwledger.ledger.topology;

import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bwledger.ledger.fold.GroupedTable;
import org.bwledger.ledger.fold.MemoryGroupedTable;

/**
 * A fold stage's {@link GroupedTable} on a Kafka Streams store keyed {@code group/key}, with its
 * decoded entries mirrored in memory: reads come from the mirror, writes go to both. The store
 * stays the durable copy (changelogged, exactly-once, restored when the task moves); the mirror is
 * loaded from it when the task's processor starts, which Kafka Streams does again after a restore.
 *
 * <p>For the node books, whose every change publishes the node: read through the store, each
 * publish decoded the node's reservations one store entry at a time, and that scan was a third of
 * the stream thread's time. A mirror costs the heap of the decoded entries once more.
 */
final class MirroredGroupedTable<V> implements GroupedTable<V> {

  private final KeyValueStore<String, V> store;
  private final MemoryGroupedTable<V> mirror = new MemoryGroupedTable<>();

  /** @param store keyed {@code group/key}; groups never hold a slash (they are node names) */
  MirroredGroupedTable(KeyValueStore<String, V> store) {
    this.store = store;
    try (KeyValueIterator<String, V> all = store.all()) {
      all.forEachRemaining(entry -> {
        int slash = entry.key.indexOf('/');
        mirror.put(entry.key.substring(0, slash), entry.key.substring(slash + 1), entry.value);
      });
    }
  }

  @Override
  public V get(String group, String key) {
    return mirror.get(group, key);
  }

  @Override
  public void put(String group, String key, V value) {
    store.put(group + '/' + key, value);
    mirror.put(group, key, value);
  }

  @Override
  public List<V> group(String group) {
    return mirror.group(group);
  }
}
