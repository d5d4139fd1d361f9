package org.bwledger.projector.query;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which stores are being rebuilt from their changelogs right now, told by Kafka Streams as it
 * restores them. Kafka Streams answers an interactive query from an active task as soon as its
 * stream thread runs, whatever the task's own state; and after a crash under exactly-once wipes a
 * task's stores, the thread runs on while the state updater refills them, oldest record first. A
 * query then would read the changelog so far: a node's early state as though it were its latest.
 * {@link NodeQueries} asks here first, and answers "not ready" instead.
 */
public final class RestoringStores implements StateRestoreListener {

  private static final Logger log = LoggerFactory.getLogger(RestoringStores.class);

  private final Map<String, Set<TopicPartition>> restoring = new ConcurrentHashMap<>();

  /** Whether any partition of {@code store} is being restored. */
  public boolean isRestoring(String store) {
    Set<TopicPartition> partitions = restoring.get(store);
    return partitions != null && !partitions.isEmpty();
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
    restoring.computeIfAbsent(store, name -> ConcurrentHashMap.newKeySet()).add(partition);
    log.info("Restoring store {} from {}, offsets {} to {}: its queries answer 503 meanwhile", store, partition,
        startingOffset, endingOffset);
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {}

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    restored(partition, store);
    log.info("Restored store {} from {}: {} records", store, partition, totalRestored);
  }

  /** A restoration cut short: the task moved to another instance, whose store it is now. */
  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    restored(partition, store);
    log.info("Stopped restoring store {} from {} after {} records: the task moved", store, partition, totalRestored);
  }

  private void restored(TopicPartition partition, String store) {
    restoring.computeIfPresent(store, (name, partitions) -> {
      partitions.remove(partition);
      return partitions;
    });
  }
}
