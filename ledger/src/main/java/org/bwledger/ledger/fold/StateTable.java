package org.bwledger.ledger.fold;

import java.util.SortedMap;

/**
 * The part of a key-value store the fold needs. Live it is a Kafka Streams state store
 * (changelogged, exactly-once); in replay an in-memory sorted map.
 */
public interface StateTable<V> {

  V get(String key);

  /** Stores {@code value}; a {@code null} value deletes the key. */
  void put(String key, V value);

  /** A copy of the entries whose key starts with {@code prefix} ("" for all), in key order. */
  SortedMap<String, V> scan(String prefix);

  /** A copy of the entries whose key is at most {@code last}, in key order. */
  SortedMap<String, V> upTo(String last);
}
