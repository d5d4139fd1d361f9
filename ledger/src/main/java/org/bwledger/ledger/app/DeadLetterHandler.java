package org.bwledger.ledger.app;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be decoded to the dead-letter topic
 * ({@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}) with the reason in the
 * standard KIP-1034 headers, logs one line, and lets processing go on. Bad input is expected, so
 * no stack trace.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

  public static final String EXCEPTION_HEADER = "__streams.errors.exception";
  public static final String MESSAGE_HEADER = "__streams.errors.message";
  public static final String TOPIC_HEADER = "__streams.errors.topic";
  public static final String PARTITION_HEADER = "__streams.errors.partition";
  public static final String OFFSET_HEADER = "__streams.errors.offset";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

  private String deadLetterTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    deadLetterTopic = topic == null ? null : topic.toString();
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String reason = String.valueOf(exception.getMessage());
    if (deadLetterTopic == null) {
      log.warn("Skipping undecodable record {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), reason);
      return Response.resume();
    }
    log.warn("Sending undecodable record {}-{}@{} to {}: {}",
        context.topic(), context.partition(), context.offset(), deadLetterTopic, reason);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(EXCEPTION_HEADER, utf8(exception.getClass().getName()));
    headers.add(MESSAGE_HEADER, utf8(reason));
    headers.add(TOPIC_HEADER, utf8(context.topic()));
    headers.add(PARTITION_HEADER, utf8(String.valueOf(context.partition())));
    headers.add(OFFSET_HEADER, utf8(String.valueOf(context.offset())));
    return Response.resume(List.of(new ProducerRecord<>(
        deadLetterTopic, null, context.timestamp(), record.key(), record.value(), headers)));
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
