package org.bwledger.ledger.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.bwledger.ledger.topology.LedgerTopology;
import org.bwledger.ledger.topology.RejectedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the fold cannot take to the dead-letter topic
 * ({@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}), as it came, with the reason
 * in the standard KIP-1034 headers, counts it, logs one line, and lets the fold go on:
 * <ul>
 *   <li>a record that cannot be decoded (cause {@code undecodable});</li>
 *   <li>an event the fold turns away at its door, outside the bounds it keeps (cause {@code rejected});</li>
 *   <li>an event on which the fold itself threw (cause {@code failed}): a bug, logged with its stack
 *       trace; what the event had written before the throw stays.</li>
 * </ul>
 * Failures of the machinery rather than of one record stop the client, so that Kubernetes restarts it
 * and nothing is skipped: Kafka Streams' own ({@code StreamsException}: a store that cannot be read or
 * written, a task corrupted or migrated) and Kafka's ({@code KafkaException}: a fenced producer, an
 * authorisation lost).
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

  public static final String EXCEPTION_HEADER = "__streams.errors.exception";
  public static final String MESSAGE_HEADER = "__streams.errors.message";
  public static final String TOPIC_HEADER = "__streams.errors.topic";
  public static final String PARTITION_HEADER = "__streams.errors.partition";
  public static final String OFFSET_HEADER = "__streams.errors.offset";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);
  private static final List<String> CAUSES = List.of("undecodable", "rejected", "failed");

  private String deadLetterTopic;
  private MeterRegistry metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    deadLetterTopic = topic == null ? null : topic.toString();
    metrics = configs.get(LedgerTopology.METRICS_CONFIG) instanceof MeterRegistry registry ? registry : null;
  }

  /**
   * Registers the counters at zero, before Kafka Streams creates any handler, so that they are served
   * from the first scrape and an alert on their increase sees the first dead letter.
   */
  public static void registerCounters(MeterRegistry registry) {
    CAUSES.forEach(cause -> counter(registry, cause));
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
      ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.warn("Undecodable record {}-{}@{}{}: {}", context.topic(), context.partition(), context.offset(),
        destination(), exception.getMessage());
    return DeserializationExceptionHandler.Response.resume(
        deadLetters("undecodable", context, record.key(), record.value(), record.headers(), exception));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
      Exception exception) {
    if (exception instanceof KafkaException) { // StreamsException is one too
      log.error("The fold cannot go on at {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
          exception.toString());
      return ProcessingExceptionHandler.Response.fail();
    }
    String cause;
    if (exception instanceof RejectedEvent) {
      cause = "rejected";
      log.warn("Rejected event {}-{}@{}{}: {}", context.topic(), context.partition(), context.offset(),
          destination(), exception.getMessage());
    } else {
      cause = "failed";
      log.error("The fold failed on event {}-{}@{}{}", context.topic(), context.partition(), context.offset(),
          destination(), exception);
    }
    return ProcessingExceptionHandler.Response.resume(deadLetters(cause, context, context.sourceRawKey(),
        context.sourceRawValue(), context.headers(), exception));
  }

  private List<ProducerRecord<byte[], byte[]>> deadLetters(String cause, ErrorHandlerContext context, byte[] key,
      byte[] value, Headers original, Exception exception) {
    if (metrics != null) {
      counter(metrics, cause).increment();
    }
    if (deadLetterTopic == null) {
      return List.of();
    }
    RecordHeaders headers = new RecordHeaders(original.toArray());
    headers.add(EXCEPTION_HEADER, utf8(exception.getClass().getName()));
    headers.add(MESSAGE_HEADER, utf8(String.valueOf(exception.getMessage())));
    headers.add(TOPIC_HEADER, utf8(context.topic()));
    headers.add(PARTITION_HEADER, utf8(String.valueOf(context.partition())));
    headers.add(OFFSET_HEADER, utf8(String.valueOf(context.offset())));
    return List.of(new ProducerRecord<>(deadLetterTopic, null, context.timestamp(), key, value, headers));
  }

  private static Counter counter(MeterRegistry registry, String cause) {
    return Counter.builder("bwledger.ledger.dead.letters")
        .description("Events of bw.cluster-events the fold did not apply, sent to the dead-letter topic")
        .tag("cause", cause).register(registry);
  }

  private String destination() {
    return deadLetterTopic == null ? ", skipped" : " to " + deadLetterTopic;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
