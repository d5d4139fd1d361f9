package org.bwledger.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.bwledger.ingest.testing.MockProducers;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Resync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event log's promises, against Kafka's mock producer: order, bounds, and no loss when a producer fails. */
class EventLogTest {

  private MockProducers kafka;
  private EventLog log;

  @AfterEach
  void close() {
    kafka.acknowledgeAll();
    log.close();
  }

  @Test
  void eventsAreSentInAppendOrderKeyedAndDatedAsObserved() throws Exception {
    log = open(10, true);
    for (int i = 0; i < 5; i++) {
      log.append(node("n" + i, i));
    }

    await().until(() -> log.buffered() == 0);
    assertThat(kafka.made().get(0).history()).extracting(ProducerRecord::key).containsExactly("n0", "n1", "n2", "n3", "n4");
    assertThat(kafka.made().get(0).history()).extracting(ProducerRecord::timestamp).containsExactly(0L, 1L, 2L, 3L, 4L);
  }

  @Test
  void aFullBufferBlocksAppendsUntilKafkaAcknowledges() throws Exception {
    log = open(2, false);
    log.append(node("a", 0));
    log.append(node("b", 1));
    CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
      try {
        log.append(node("c", 2));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    await().until(() -> kafka.made().get(0).history().size() == 2);
    assertThat(log.backPressured()).isTrue();
    assertThat(third).isNotDone();

    kafka.made().get(0).completeNext();
    third.get();
    await().until(() -> kafka.made().get(0).history().size() == 3);
    assertThat(kafka.made().get(0).history()).extracting(ProducerRecord::key).containsExactly("a", "b", "c");
  }

  @Test
  void aProducerThatFailsForGoodIsReplacedAndEveryUnacknowledgedEventSentAgainInOrder() throws Exception {
    log = open(100, false);
    for (int i = 0; i < 6; i++) {
      log.append(node("n" + i, i));
    }
    await().until(() -> kafka.made().get(0).history().size() == 6);
    kafka.made().get(0).completeNext(); // n0 acknowledged
    kafka.made().get(0).errorNext(new AuthorizationException("not allowed")); // n1 refused for good

    await().until(() -> kafka.made().size() == 2 && kafka.made().get(1).history().size() == 5);
    assertThat(kafka.made().get(1).history()).extracting(ProducerRecord::key).containsExactly("n1", "n2", "n3", "n4", "n5");
    while (kafka.made().get(1).completeNext()) {
      // Kafka takes everything
    }
    await().until(() -> log.buffered() == 0);
  }

  @Test
  void aBroadcastPutsOneCopyInEveryPartition() throws Exception {
    log = open(10, true);
    ClusterEvent chunk = new ClusterEvent("r-0", Instant.EPOCH, "",
        new Resync("r", 0, true, Instant.EPOCH, List.of("uid"), List.of("n")));

    log.broadcast(chunk);

    await().until(() -> log.buffered() == 0);
    assertThat(kafka.made().get(0).history()).extracting(ProducerRecord::partition).containsExactly(0, 1, 2);
    assertThat(kafka.made().get(0).history()).extracting(ProducerRecord::value).containsOnly(chunk);
  }

  private EventLog open(int capacity, boolean autoComplete) {
    kafka = new MockProducers(autoComplete);
    return kafka.eventLog(capacity);
  }

  private static ClusterEvent node(String name, long at) {
    return new ClusterEvent("e-" + name, Instant.ofEpochMilli(at), "", new NodeObserved(name, Map.of()));
  }
}
