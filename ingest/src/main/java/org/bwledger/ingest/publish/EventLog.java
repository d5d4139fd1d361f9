package org.bwledger.ingest.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events to {@code bw.cluster-events} and loses none. An appended event stays in a bounded
 * buffer until the broker has acknowledged it; one sender thread hands the buffer to an idempotent
 * {@code acks=all} producer in the order events were appended, so each object's events keep their
 * order. While Kafka is away the buffer fills; when it is full, {@link #append} and
 * {@link #awaitCapacity} block, and back-pressure reaches the watches.
 *
 * <p>When Kafka cannot be reached in time, the sender sends again from the first event that failed.
 * When the producer fails for good (an error it does not retry), a new producer sends every
 * unacknowledged event again, oldest first. Either way an event may reach the log twice, which the
 * fold absorbs; none is lost or overtaken by a later event of its object.
 */
public final class EventLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  private final Topic<String, ClusterEvent> topic;
  private final Supplier<Producer<String, ClusterEvent>> producers;
  private final ConcurrentSkipListMap<Long, Pending> unacknowledged = new ConcurrentSkipListMap<>();
  private final Semaphore room;
  private final Semaphore appended = new Semaphore(0);
  private final AtomicLong retryFrom = new AtomicLong(Long.MAX_VALUE);
  private final AtomicBoolean holding = new AtomicBoolean();
  private final Map<String, Counter> published = new ConcurrentHashMap<>();
  private final MeterRegistry metrics;
  private final Timer latency;
  private final Thread sender;

  private long sequence;
  private volatile int partitions;
  private volatile Producer<String, ClusterEvent> producer;
  private volatile boolean producerFailed;
  private volatile String refusal;
  private volatile boolean closed;

  /** An appended event and when it was appended. */
  private record Pending(ProducerRecord<String, ClusterEvent> record, long appendedAtNanos) {}

  /**
   * @param topic the log
   * @param producers makes a producer, and again after one failed for good
   * @param capacity unacknowledged events held at most before appends block
   */
  public EventLog(Topic<String, ClusterEvent> topic, Supplier<Producer<String, ClusterEvent>> producers,
      int capacity, MeterRegistry metrics) {
    this.topic = topic;
    this.producers = producers;
    this.room = new Semaphore(capacity);
    this.metrics = metrics;
    this.producer = producers.get();
    this.latency = Timer.builder("bwledger.ingest.publish.latency")
        .description("Time from appending an event until Kafka acknowledged it")
        .publishPercentiles(0.5, 0.99)
        .register(metrics);
    Gauge.builder("bwledger.ingest.buffered.events", unacknowledged, Map::size)
        .description("Events appended and not yet acknowledged by Kafka")
        .register(metrics);
    Gauge.builder("bwledger.ingest.backpressure", () -> backPressured() ? 1 : 0)
        .description("1 while the buffer is full and the watches wait for Kafka")
        .register(metrics);
    Gauge.builder("bwledger.ingest.kafka.refusing", () -> refusal() == null ? 0 : 1)
        .description("1 while Kafka refuses events for good (not for want of time) and none was taken since")
        .register(metrics);
    sender = new Thread(this::sendLoop, "bwledger-ingest-sender");
    sender.setDaemon(true);
    sender.start();
  }

  /** The producer ingest uses, configured by {@code properties}. */
  public static Supplier<Producer<String, ClusterEvent>> producers(Topic<String, ClusterEvent> topic,
      Properties properties) {
    return () -> new KafkaProducer<>(properties, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** Appends one event, keyed as DESIGN §3 says, dated when it was observed. Blocks while the buffer is full. */
  public void append(ClusterEvent event) throws InterruptedException {
    buffer(null, event);
  }

  /** Appends one copy of {@code event} to every partition, as every task of the fold must see it. */
  public void broadcast(ClusterEvent event) throws InterruptedException {
    int count = partitionCount();
    for (int partition = 0; partition < count; partition++) {
      buffer(partition, event);
    }
  }

  /** Blocks while the buffer is full: watches call it before they take in more changes. */
  public void awaitCapacity() throws InterruptedException {
    if (room.availablePermits() == 0) {
      waitForRoom();
      room.release();
    }
  }

  /** Events appended and not yet acknowledged. */
  public int buffered() {
    return unacknowledged.size();
  }

  /** True while the buffer is full and the watches wait for Kafka. */
  public boolean backPressured() {
    return room.availablePermits() == 0;
  }

  /**
   * Why Kafka refuses events for good (an error the producer does not retry: a damaged log, an ACL,
   * a record too large), while no event was taken since; null while it takes them.
   */
  public String refusal() {
    return refusal;
  }

  private void buffer(Integer partition, ClusterEvent event) throws InterruptedException {
    if (!room.tryAcquire()) {
      waitForRoom();
    }
    ProducerRecord<String, ClusterEvent> record = new ProducerRecord<>(
        topic.name(), partition, event.getObservedAt().toEpochMilli(), ClusterEventKey.of(event), event);
    synchronized (this) {
      unacknowledged.put(sequence++, new Pending(record, System.nanoTime()));
    }
    appended.release();
  }

  /** Takes room for one event once there is some; says once that the watches wait, and once when Kafka caught up. */
  private void waitForRoom() throws InterruptedException {
    if (holding.compareAndSet(false, true)) {
      log.warn("Buffer full ({} unacknowledged events): the watches wait until Kafka catches up", buffered());
    }
    room.acquire();
  }

  /** Hands buffered events to the producer in order; starts over where a failure says. */
  private void sendLoop() {
    long next = 0;
    try {
      while (!closed) {
        if (producerFailed) {
          replaceProducer();
          next = unacknowledged.isEmpty() ? next : unacknowledged.firstKey();
        }
        long failedAt = retryFrom.getAndSet(Long.MAX_VALUE);
        if (failedAt != Long.MAX_VALUE) {
          log.warn("Kafka at {} is not answering; sending again from the first event it did not take ({} buffered)",
              topic.name(), buffered());
          TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.toMillis());
          next = Math.min(next, failedAt);
        }
        Map.Entry<Long, Pending> entry = unacknowledged.ceilingEntry(next);
        if (entry == null) {
          appended.tryAcquire(100, TimeUnit.MILLISECONDS);
          continue;
        }
        long id = entry.getKey();
        Producer<String, ClusterEvent> current = producer;
        try {
          current.send(entry.getValue().record(), (metadata, error) -> acknowledged(id, current, error));
        } catch (TimeoutException e) {
          retryFrom.accumulateAndGet(id, Math::min);
        }
        next = id + 1;
      }
    } catch (InterruptedException | InterruptException e) {
      Thread.currentThread().interrupt(); // closing
    }
  }

  /** Runs on the producer's thread (or inside {@code send}); takes no lock. */
  private void acknowledged(long id, Producer<String, ClusterEvent> sentBy, Exception error) {
    if (error == null) {
      if (refusal != null) {
        refusal = null;
        log.info("Kafka takes events again");
      }
      Pending pending = unacknowledged.remove(id);
      if (pending != null) {
        latency.record(System.nanoTime() - pending.appendedAtNanos(), TimeUnit.NANOSECONDS);
        counter(pending.record().value()).increment();
        room.release();
        if (unacknowledged.isEmpty() && holding.compareAndSet(true, false)) {
          log.info("Kafka caught up with the buffer: the watches go on");
        }
      }
    } else if (sentBy == producer && !closed) {
      if (error instanceof TimeoutException) {
        retryFrom.accumulateAndGet(id, Math::min);
      } else {
        // Every event in flight fails alike: say it when it starts, not once per event.
        if (refusal == null) {
          log.error("Kafka refuses events for good ({}); a new producer sends every unacknowledged event again, "
              + "until Kafka takes them. Check the broker's log and this principal's ACLs", error.toString());
        }
        refusal = error.toString();
        producerFailed = true;
      }
    }
  }

  private void replaceProducer() throws InterruptedException {
    Producer<String, ClusterEvent> failed = producer;
    producer = producers.get();
    producerFailed = false;
    failed.close(Duration.ZERO);
    TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.toMillis());
    log.info("Sending {} unacknowledged events again with a new producer", buffered());
  }

  private int partitionCount() throws InterruptedException {
    while (true) {
      try {
        partitions = producer.partitionsFor(topic.name()).size();
        return partitions;
      } catch (TimeoutException e) {
        if (partitions > 0) {
          return partitions; // Kafka is away; the topic's partitions do not shrink
        }
        log.warn("Cannot learn the partitions of {} ({}); retrying", topic.name(), e.getMessage());
        TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF.toMillis());
      }
    }
  }

  private Counter counter(ClusterEvent event) {
    String type = event.getPayload().getClass().getSimpleName();
    return published.computeIfAbsent(type, t -> Counter.builder("bwledger.ingest.events.published")
        .description("Events acknowledged on the cluster-events log, by type")
        .tag("type", t)
        .register(metrics));
  }

  /** Gives Kafka 30 seconds to acknowledge what is buffered, then closes the producer. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!unacknowledged.isEmpty() && System.nanoTime() < deadline) {
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closed = true;
    sender.interrupt();
    producer.close(Duration.ofSeconds(5));
    if (!unacknowledged.isEmpty()) {
      log.warn("Closed with {} events unacknowledged; the next start's resync covers them", buffered());
    }
  }
}
