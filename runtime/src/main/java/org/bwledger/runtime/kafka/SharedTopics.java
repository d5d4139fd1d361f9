package org.bwledger.runtime.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the shared topics exist before a process uses them, as {@link
 * org.bwledger.schemas.topic.Topics#createMissing} defines them, so no broker auto-creates one with
 * its defaults (a week's retention would lose the log). Every process calls it at start.
 */
public final class SharedTopics {

  private static final Logger log = LoggerFactory.getLogger(SharedTopics.class);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final int REQUEST_TIMEOUT_MS = 10_000;

  private SharedTopics() {}

  /** Creates what is missing, trying again until Kafka answers: a process may start before its broker. */
  public static void ensure(KafkaSettings kafka) throws InterruptedException {
    ensureThen(kafka, client -> null);
  }

  /** As {@link #ensure}, then says how many partitions {@code topic}, one of them, has. */
  public static int ensureAndCount(KafkaSettings kafka, String topic) throws InterruptedException {
    return ensureThen(kafka,
        client -> client.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
  }

  /** A question to Kafka once the topics exist. */
  private interface Then<T> {
    T ask(Admin client) throws ExecutionException, InterruptedException;
  }

  private static <T> T ensureThen(KafkaSettings kafka, Then<T> then) throws InterruptedException {
    Map<String, Object> admin = Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
    while (true) {
      try (Admin client = Admin.create(kafka.clientProperties(admin))) {
        kafka.topics().createMissing(client, kafka.partitions())
            .forEach(created -> log.info("Created topic {} ({} partitions)", created.name(), created.numPartitions()));
        return then.ask(client);
      } catch (ExecutionException e) {
        log.warn("Kafka at {} does not answer ({}); retrying", kafka.bootstrapServers(), e.getCause().toString());
        Thread.sleep(RETRY.toMillis());
      }
    }
  }
}
