package org.bwledger.ledger.fold;

import java.util.List;

/**
 * The part of a key-value store a fold stage needs for entries kept in groups, such as a node's
 * reservations by pod: read and written by group and key, and read a whole group at a time. Live it
 * is a Kafka Streams state store mirrored in memory; in replay, maps in memory.
 */
public interface GroupedTable<V> {

  V get(String group, String key);

  /** Stores {@code value}; a {@code null} value deletes the key. */
  void put(String group, String key, V value);

  /** A copy of the values in {@code group}, in no particular order. */
  List<V> group(String group);
}
