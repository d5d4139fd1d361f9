package org.bwledger.projector.extender;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.PodAssumed;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the extender's binds to {@code bw.cluster-events} as {@link PodAssumed} events, keyed by pod
 * uid like ingest's pod events, so the fold orders an assumption with the pod's observations.
 */
public final class AssumptionLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AssumptionLog.class);

  private final Producer<String, ClusterEvent> producer;
  private final Topic<String, ClusterEvent> topic;
  private final String assumedBy;
  private final String runId = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();

  /**
   * @param producer an idempotent producer with {@code acks=all}
   * @param assumedBy who binds, recorded in each event
   */
  public AssumptionLog(Producer<String, ClusterEvent> producer, Topic<String, ClusterEvent> topic, String assumedBy) {
    this.producer = producer;
    this.topic = topic;
    this.assumedBy = assumedBy;
  }

  /** Records that {@code pod} was bound to {@code node} at {@code at}, standing until {@code expiresAt}. */
  public void record(PodDemand pod, String node, Instant at, Instant expiresAt) {
    ClusterEvent event = new ClusterEvent(runId + "-" + sequence.getAndIncrement(), at, "",
        new PodAssumed(pod.uid(), pod.namespace(), pod.name(), node, pod.annotations(), pod.controller(),
            expiresAt, assumedBy));
    producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), ClusterEventKey.of(event), event),
        (metadata, error) -> {
          if (error != null) {
            // The pod is bound all the same; ingest will see it there. Only the early count is lost.
            log.warn("Could not record the assumption of pod {}/{} on {}: {}", pod.namespace(), pod.name(), node,
                error.toString());
          }
        });
  }

  @Override
  public void close() {
    producer.close();
  }
}
