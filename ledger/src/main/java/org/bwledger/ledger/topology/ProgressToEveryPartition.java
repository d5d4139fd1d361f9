package org.bwledger.ledger.topology;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.bwledger.schemas.topic.KeyPartitioner;

/**
 * Partitions an internal topic of the ledger: a task's progress goes to every partition, since
 * every task of the next stage waits for it; a change goes by its key, as Kafka's producer would
 * place it.
 */
final class ProgressToEveryPartition<V> implements StreamPartitioner<String, V> {

  private final Predicate<V> isProgress;

  ProgressToEveryPartition(Predicate<V> isProgress) {
    this.isProgress = isProgress;
  }

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, V value, int numPartitions) {
    if (isProgress.test(value)) {
      return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
    }
    return Optional.of(Set.of(KeyPartitioner.partition(key, numPartitions)));
  }
}
