package org.bwledger.projector.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.query.MultiVersionedKeyQuery;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.VersionedKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.state.VersionedRecordIterator;
import org.bwledger.projector.topology.ProjectorTopology;
import org.bwledger.schemas.state.NodeBandwidth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over the projector's stores: the latest states read as a key-value store, the
 * history through IQv2. Every instance holds every partition, so each query is answered here, from
 * whichever partition holds the node. A store being restored answers nothing ({@link RestoringStores}).
 */
public final class NodeQueries {

  /**
   * One state of a node and how long it held.
   *
   * @param validFrom when the ledger dated it
   * @param validTo when the next state replaced it; null while it is the latest
   */
  public record Version(Instant validFrom, Instant validTo, NodeBandwidth state) {}

  /** The stores cannot answer yet (starting, rebalancing); asking again shortly will do. */
  public static final class NotReadyException extends RuntimeException {
    NotReadyException(String message) {
      super(message);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(NodeQueries.class);

  private final KafkaStreams streams;
  private final RestoringStores restoring;

  /** @param restoring told by {@code streams} of its restorations: its global restore listener */
  public NodeQueries(KafkaStreams streams, RestoringStores restoring) {
    this.streams = streams;
    this.restoring = restoring;
  }

  /** A node's latest state. */
  public Optional<NodeBandwidth> latest(String node) {
    try {
      return Optional.ofNullable(latestStates().get(node));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
  }

  /** Every node's latest state, by name. */
  public List<NodeBandwidth> all() {
    List<NodeBandwidth> nodes = new ArrayList<>();
    try (KeyValueIterator<String, NodeBandwidth> all = latestStates().all()) {
      all.forEachRemaining(entry -> nodes.add(entry.value));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    nodes.sort(Comparator.comparing(NodeBandwidth::getNode));
    return nodes;
  }

  /**
   * The latest states, read as a key-value store rather than through IQv2. In Kafka Streams 4.3 an
   * IQv2 query of a RocksDB key-value store takes the store's position lock, then the store's own,
   * while the stream thread's put takes them the other way round (KAFKA-19629): under load the two
   * deadlocked, and with them the API and the status writer. A key-value read takes the store's lock
   * alone. The versioned history takes its position lock first on both sides, so IQv2 is safe there.
   */
  private ReadOnlyKeyValueStore<String, NodeBandwidth> latestStates() {
    refuseWhileRestoring(ProjectorTopology.NODES_STORE);
    return streams.store(StoreQueryParameters.fromNameAndType(ProjectorTopology.NODES_STORE,
        QueryableStoreTypes.<String, NodeBandwidth>keyValueStore()));
  }

  private static NotReadyException notReady(InvalidStateStoreException e) {
    return new NotReadyException("the " + ProjectorTopology.NODES_STORE + " store cannot be queried yet: "
        + e.getMessage());
  }

  /** What a node held at {@code at}: empty if it had no state then, or {@code at} is past the retention. */
  public Optional<NodeBandwidth> at(String node, Instant at) {
    Optional<VersionedRecord<NodeBandwidth>> record =
        first(ProjectorTopology.HISTORY_STORE, VersionedKeyQuery.<String, NodeBandwidth>withKey(node).asOf(at));
    return record.map(VersionedRecord::value);
  }

  /**
   * What every node known now held at {@code at}, by name; a node with no state then is left out.
   * One history query a node: fine for the dashboard's slider, not for a hot path.
   */
  public List<NodeBandwidth> allAt(Instant at) {
    List<NodeBandwidth> nodes = new ArrayList<>();
    for (NodeBandwidth now : all()) {
      at(now.getNode(), at).ifPresent(nodes::add);
    }
    return nodes;
  }

  /** Every state a node held between two times, oldest first. */
  public List<Version> history(String node, Instant from, Instant to) {
    List<Version> versions = new ArrayList<>();
    forEachResult(ProjectorTopology.HISTORY_STORE,
        MultiVersionedKeyQuery.<String, NodeBandwidth>withKey(node).fromTime(from).toTime(to).withAscendingTimestamps(),
        (VersionedRecordIterator<NodeBandwidth> iterator) -> {
          try (iterator) {
            iterator.forEachRemaining(record -> versions.add(new Version(Instant.ofEpochMilli(record.timestamp()),
                record.validTo().map(Instant::ofEpochMilli).orElse(null), record.value())));
          }
        });
    return versions;
  }

  private <R> Optional<R> first(String store, Query<R> query) {
    List<R> found = new ArrayList<>();
    forEachResult(store, query, result -> {
      if (result != null) {
        found.add(result);
      }
    });
    return found.stream().findFirst();
  }

  private <R> void forEachResult(String store, Query<R> query, Consumer<R> each) {
    refuseWhileRestoring(store);
    StateQueryResult<R> answer;
    try {
      // Active and running only: a store still being rebuilt from its changelog is open, and would
      // answer "no state" for a time it has not restored yet.
      answer = streams.query(StateQueryRequest.inStore(store).withQuery(query).requireActive());
    } catch (RuntimeException e) {
      throw new NotReadyException("the " + store + " store cannot be queried yet: " + e.getMessage());
    }
    results(store, answer).forEach(each);
  }

  private void refuseWhileRestoring(String store) {
    if (restoring.isRestoring(store)) {
      throw new NotReadyException("the " + store + " store is being restored from its changelog");
    }
  }

  /**
   * The result of each partition that answered. No partition at all is not "no state": while the
   * projector starts or rebalances its partitions are not here yet, and a node's history asked then
   * would read as empty.
   */
  static <R> List<R> results(String store, StateQueryResult<R> answer) {
    if (answer.getPartitionResults().isEmpty()) {
      throw new NotReadyException("the " + store + " store has no partition here yet");
    }
    List<R> results = new ArrayList<>();
    for (QueryResult<R> result : answer.getPartitionResults().values()) {
      if (result.isFailure()) {
        // The failure's message can carry a whole stack trace: it goes to the log, not to the caller.
        log.debug("Query of {} failed: {} {}", store, result.getFailureReason(), result.getFailureMessage());
        throw new NotReadyException("the " + store + " store cannot be queried yet (" + result.getFailureReason() + ")");
      }
      results.add(result.getResult());
    }
    return results;
  }
}
