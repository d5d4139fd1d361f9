package org.bwledger.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.bwledger.ingest.testing.MockProducers;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Resync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

  /**
   * A broker that refuses every event (a damaged log segment, an ACL taken away) is said once, not
   * once per event, and shown until Kafka takes an event again.
   */
  @Test
  void kafkaRefusingForGoodIsSaidOnceAndShownUntilAnEventIsTaken() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger logger = (Logger) LoggerFactory.getLogger(EventLog.class);
    logger.addAppender(logs);
    try {
      log = open(100, false);
      for (int i = 0; i < 20; i++) {
        log.append(node("n" + i, i));
      }
      for (int producer = 0; producer < 3; producer++) {
        int made = producer;
        await().until(() -> kafka.made().size() > made && kafka.made().get(made).history().size() == 20);
        while (kafka.made().get(made).errorNext(new UnknownServerException("damaged segment"))) {
          // every event in flight refused
        }
        assertThat(log.refusal()).contains("damaged segment");
      }

      await().until(() -> kafka.made().size() == 4 && kafka.made().get(3).history().size() == 20);
      kafka.made().get(3).completeNext();
      await().until(() -> log.refusal() == null);
      assertThat(logs.list).filteredOn(event -> event.getFormattedMessage().contains("refuses events for good"))
          .hasSize(1);
      assertThat(logs.list).filteredOn(event -> event.getFormattedMessage().equals("Kafka takes events again"))
          .hasSize(1);
    } finally {
      logger.detachAppender(logs);
    }
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
