package org.bwledger.ledger.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bwledger.ledger.fold.GroupedTable;
import org.bwledger.ledger.fold.MemoryGroupedTable;
import org.bwledger.schemas.serde.AvroSerde;

/**
 * A fold stage's {@link GroupedTable} on a Kafka Streams store keyed {@code group/key}, with its
 * entries mirrored in memory, decoded and as bytes: reads come from the mirror, writes go to both.
 * The store stays the durable copy (changelogged, exactly-once, restored when the task moves); the
 * mirror is loaded from it when the task's processor starts, which Kafka Streams does again after a
 * restore.
 *
 * <p>For the node books, whose every change publishes the node: read through the store, each
 * publish decoded the node's reservations one store entry at a time, and that scan was a third of
 * the stream thread's time. The bytes are kept too, the store's own, so that publishing a node
 * writes each reservation's bytes rather than encoding it again ({@link #encoded}).
 */
final class MirroredGroupedTable<V extends SpecificRecord> implements GroupedTable<V> {

  /** A value and its bytes in the store. */
  private record Entry<V>(V value, byte[] bytes) {}

  private final KeyValueStore<String, byte[]> store;
  private final AvroSerde<V> serde;
  private final MemoryGroupedTable<Entry<V>> mirror = new MemoryGroupedTable<>();

  /** @param store keyed {@code group/key}, its values {@code serde}'s bytes; groups never hold a slash (they are node names) */
  MirroredGroupedTable(KeyValueStore<String, byte[]> store, AvroSerde<V> serde) {
    this.store = store;
    this.serde = serde;
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(entry -> {
        int slash = entry.key.indexOf('/');
        mirror.put(entry.key.substring(0, slash), entry.key.substring(slash + 1),
            new Entry<>(serde.decode(entry.value), entry.value));
      });
    }
  }

  @Override
  public V get(String group, String key) {
    Entry<V> entry = mirror.get(group, key);
    return entry == null ? null : entry.value();
  }

  @Override
  public void put(String group, String key, V value) {
    byte[] bytes = serde.encode(value);
    store.put(group + '/' + key, bytes);
    mirror.put(group, key, value == null ? null : new Entry<>(value, bytes));
  }

  @Override
  public List<V> group(String group) {
    List<Entry<V>> entries = mirror.group(group);
    List<V> values = new ArrayList<>(entries.size());
    for (Entry<V> entry : entries) {
      values.add(entry.value());
    }
    return values;
  }

  /**
   * The bytes of {@code value} if it is what the table holds at {@code group}/{@code key} (the very
   * object, as a group's values are), else {@code null}.
   */
  byte[] encoded(String group, String key, V value) {
    Entry<V> entry = mirror.get(group, key);
    return entry != null && entry.value() == value ? entry.bytes() : null;
  }
}
