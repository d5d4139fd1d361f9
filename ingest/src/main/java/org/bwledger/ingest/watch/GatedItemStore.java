package org.bwledger.ingest.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bwledger.ingest.publish.EventLog;

/**
 * An informer's cache that takes in a change only while the event log has room: when Kafka falls
 * behind, the informer stops applying watch events instead of queueing them without bound, and
 * the watch itself stops being read. It keeps each object in its {@link CachedForm}.
 */
final class GatedItemStore<T extends HasMetadata> implements ItemStore<T> {

  private final ItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final EventLog log;
  private final UnaryOperator<T> cachedForm;

  GatedItemStore(EventLog log, UnaryOperator<T> cachedForm) {
    this.log = log;
    this.cachedForm = cachedForm;
  }

  @Override
  public String getKey(T object) {
    return items.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    awaitRoom();
    return items.put(key, cachedForm.apply(object));
  }

  @Override
  public T remove(String key) {
    awaitRoom();
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }

  private void awaitRoom() {
    try {
      log.awaitCapacity();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutting down: let the informer finish its step
    }
  }
}
