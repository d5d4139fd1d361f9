package org.bwledger.runtime.kafka;

import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a topic ends and where a consumer group stands on it, partition by partition: how readiness,
 * staleness and the audit tell how far a Kafka Streams application has come.
 */
public final class TopicOffsets {

  private TopicOffsets() {}

  /** The end of each partition of {@code topic} now. */
  public static Map<TopicPartition, Long> ends(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    Set<TopicPartition> partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic)
        .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
    Map<TopicPartition, Long> ends = byPartition();
    admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
        .all().get().forEach((partition, offset) -> ends.put(partition, offset.offset()));
    return ends;
  }

  /** The offsets {@code group} has committed on {@code topic}; a partition it never committed is absent. */
  public static Map<TopicPartition, Long> committed(Admin admin, String group, String topic)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, Long> committed = byPartition();
    offsets.forEach((partition, offset) -> {
      if (partition.topic().equals(topic) && offset != null) {
        committed.put(partition, offset.offset());
      }
    });
    return committed;
  }

  /** All partitions together. */
  public static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<TopicPartition, Long> byPartition() {
    return new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
  }
}
