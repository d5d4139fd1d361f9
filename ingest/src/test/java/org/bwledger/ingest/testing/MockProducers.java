package org.bwledger.ingest.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.Topic;
import org.bwledger.schemas.topic.Topics;

/** Kafka's mock producers behind an {@link EventLog}, on a topic of three partitions, each producer kept for inspection. */
public final class MockProducers {

  public static final Topic<String, ClusterEvent> TOPIC = Topics.withPrefix("t.").clusterEvents();

  private final List<MockProducer<String, ClusterEvent>> made = new CopyOnWriteArrayList<>();
  private final boolean autoComplete;

  /** @param autoComplete whether Kafka acknowledges each record at once */
  public MockProducers(boolean autoComplete) {
    this.autoComplete = autoComplete;
  }

  /** An event log holding at most {@code capacity} unacknowledged events, sending through these producers. */
  public EventLog eventLog(int capacity) {
    Node broker = new Node(0, "localhost", 9092);
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      partitions.add(new PartitionInfo(TOPIC.name(), p, broker, new Node[] {broker}, new Node[] {broker}));
    }
    Cluster cluster = new Cluster("c", List.of(broker), partitions, Set.of(), Set.of());
    return new EventLog(TOPIC, () -> {
      MockProducer<String, ClusterEvent> producer = new MockProducer<>(cluster, autoComplete, null,
          TOPIC.keySerde().serializer(), TOPIC.valueSerde().serializer());
      made.add(producer);
      return producer;
    }, capacity, new SimpleMeterRegistry());
  }

  /** The producers made so far, oldest first. */
  public List<MockProducer<String, ClusterEvent>> made() {
    return made;
  }

  /** Acknowledges everything sent so far. */
  public void acknowledgeAll() {
    made.forEach(producer -> {
      while (!producer.closed() && producer.completeNext()) {
        // next
      }
    });
  }
}
