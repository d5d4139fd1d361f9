package org.bwledger.schemas.topic;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Where Kafka's producer puts a record with a string key, by default: the murmur2 hash of the key's
 * UTF-8 bytes, modulo the partitions. Replay uses it to know which events shared a partition.
 */
public final class KeyPartitioner {

  private KeyPartitioner() {}

  public static int partition(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
