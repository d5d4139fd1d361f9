package org.bwledger.pipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.EventBounds;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.topic.Topic;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger killed with SIGKILL, as a process of its own, at random points of a long history with
 * poison in it: every kill is restarted on its state, and at the end the node states it published
 * are exactly the fold of the whole log (no reservation lost, none counted twice), the poison in
 * the dead-letter topic. Then two ledgers share the partitions and one is killed for good: the
 * other takes its partitions, and the dead one comes back.
 */
@WithKafka
class LedgerFaultsTest {

  private static final String RUNNING = "Ledger RUNNING";

  /** Kills per run; {@code -Dbwledger.soak=true} makes it a soak of many more. */
  private static final int KILLS = Boolean.getBoolean("bwledger.soak") ? 40 : 5;
  private static final long EVENTS = Boolean.getBoolean("bwledger.soak") ? 200_000 : 12_000;

  @TempDir
  Path dir;

  @Test
  void aLedgerKilledAtRandomPointsPublishesExactlyTheFoldOfTheLog(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix("kill.");
    kafka.createTopics(topics, 6);
    List<ClusterEvent> history = historyWithPoison(7);
    Random random = new Random(7);
    List<Duration> readyAfterKill = new ArrayList<>();

    try (Admin admin = kafka.admin(); BwctlProcess ledger = BwctlProcess.ledger(kafka.bootstrapServers(), "kill.", 6,
        "ledger-0", dir)) {
      ledger.start().awaitLine(RUNNING);
      int batches = KILLS + 1;
      int perBatch = history.size() / batches + 1;
      for (int batch = 0; batch < batches; batch++) {
        List<ClusterEvent> events = history.subList(batch * perBatch, Math.min(history.size(), (batch + 1) * perBatch));
        long before = committed(admin, topics, "kill.ledger");
        kafka.produce(topics, events);
        if (batch < KILLS) {
          // Somewhere in the middle of folding this batch.
          long target = before + 1 + random.nextInt(Math.max(1, events.size() - 1));
          await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin, topics, "kill.ledger") >= target);
          ledger.kill();
          ledger.start();
          readyAfterKill.add(ledger.awaitLine(RUNNING));
        }
      }

      long lastWritten = System.nanoTime();
      SortedMap<String, NodeBandwidth> expected = fold(history);
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> withoutSince(kafka.latest(topics.nodeBandwidth())).equals(withoutSince(expected)));
      SortedMap<String, NodeBandwidth> published = kafka.latest(topics.nodeBandwidth());

      Losses losses = Losses.between(expected, published);
      System.out.printf("ledger SIGKILLed %d times over %,d events: %d reservations lost, %d counted twice; "
          + "running again after %s; the fold of the whole log published %.1f s after the last event was written%n",
          KILLS, history.size(), losses.lost(), losses.doubled(), readyAfterKill,
          (System.nanoTime() - lastWritten) / 1e9);
      assertThat(losses.lost()).isZero();
      assertThat(losses.doubled()).isZero();
      assertThat(deadLetters(kafka, topics)).isEqualTo(POISON);
    }
  }

  @Test
  void aLedgerKilledForGoodHandsItsPartitionsToTheOtherAndComesBack(TestKafka kafka) throws Exception {
    Topics topics = Topics.withPrefix("pair.");
    kafka.createTopics(topics, 6);
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(16, 300, 30, EVENTS / 2).generate(11, new EventFactory(), history::add);
    int half = history.size() / 2;

    try (Admin admin = kafka.admin();
         BwctlProcess first = BwctlProcess.ledger(kafka.bootstrapServers(), "pair.", 6, "ledger-0", dir);
         BwctlProcess second = BwctlProcess.ledger(kafka.bootstrapServers(), "pair.", 6, "ledger-1", dir)) {
      first.start();
      second.start();
      first.awaitLine(RUNNING);
      second.awaitLine(RUNNING);
      kafka.produce(topics, history.subList(0, half));
      await().atMost(Duration.ofSeconds(60)).until(() -> committed(admin, topics, "pair.ledger") >= half / 2);

      first.kill();
      long killedAt = System.nanoTime();
      kafka.produce(topics, history.subList(half, history.size()));
      // The survivor folds everything, the dead one's partitions too, once its session is over.
      long end = end(admin, topics);
      await().atMost(Duration.ofSeconds(90)).until(() -> committed(admin, topics, "pair.ledger") == end);

      Duration takenOver = Duration.ofNanos(System.nanoTime() - killedAt);
      first.start();
      Duration back = first.awaitLine(RUNNING);
      SortedMap<String, NodeBandwidth> expected = fold(history);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
          .until(() -> withoutSince(kafka.latest(topics.nodeBandwidth())).equals(withoutSince(expected)));
      SortedMap<String, NodeBandwidth> published = kafka.latest(topics.nodeBandwidth());
      Losses losses = Losses.between(expected, published);
      System.out.printf("one of two ledgers SIGKILLed: the other had folded the whole log %.1f s later; the dead one "
          + "running again %.1f s after its restart; %d reservations lost, %d counted twice%n",
          takenOver.toMillis() / 1e3, back.toMillis() / 1e3, losses.lost(), losses.doubled());
      assertThat(losses.lost()).isZero();
      assertThat(losses.doubled()).isZero();
    }
  }

  /** Absurd events that decode: the fold must turn each away and go on. */
  private static final Set<String> POISON = Set.of("poison-min-time", "poison-negative", "poison-long-name");

  private static List<ClusterEvent> historyWithPoison(long seed) {
    List<ClusterEvent> history = new ArrayList<>();
    new ClusterHistory(20, 400, 40, EVENTS).generate(seed, new EventFactory(), history::add);
    Random random = new Random(seed);
    history.add(random.nextInt(history.size()),
        new ClusterEvent("poison-min-time", Instant.ofEpochMilli(Long.MIN_VALUE), "", new NodeObserved("node-0", Map.of())));
    history.add(random.nextInt(history.size()), new ClusterEvent("poison-negative", Instant.parse("2026-11-30T10:00:00Z"),
        "", new CapacitySet("node-1", new CapacitySpec(null, null, -50L, null))));
    history.add(random.nextInt(history.size()), new ClusterEvent("poison-long-name",
        Instant.parse("2026-11-30T10:00:00Z"), "", new NodeObserved("n".repeat(100_000), Map.of())));
    return history;
  }

  /** What the log folds to, the poison turned away as the live ledger turns it away. */
  private static SortedMap<String, NodeBandwidth> fold(List<ClusterEvent> history) {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    history.stream().filter(event -> EventBounds.violation(event).isEmpty()).forEach(fold::apply);
    return fold.published();
  }

  /** The event ids of what went to the dead-letter topic: the records as they came, so events. */
  private static Set<String> deadLetters(TestKafka kafka, Topics topics) {
    Set<String> ids = new TreeSet<>();
    kafka.readAll(new Topic<>(topics.deadLetters().name(), topics.clusterEvents().keySerde(),
        topics.clusterEvents().valueSerde()), record -> ids.add(record.value().getEventId()));
    return ids;
  }

  /** How many events of the log the ledger's group has committed, over all partitions. */
  private static long committed(Admin admin, Topics topics, String group) throws Exception {
    return TopicOffsets.sum(TopicOffsets.committed(admin, group, topics.clusterEvents().name()));
  }

  private static long end(Admin admin, Topics topics) throws Exception {
    String topic = topics.clusterEvents().name();
    Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
  }

  /**
   * The states without {@code oversubscribedSince}: whether a node was oversubscribed for a moment
   * depends on which transient states the partitions' interleaving passes through.
   */
  private static SortedMap<String, NodeBandwidth> withoutSince(Map<String, NodeBandwidth> nodes) {
    SortedMap<String, NodeBandwidth> out = new TreeMap<>();
    nodes.forEach((name, node) -> {
      NodeBandwidth copy = NodeBandwidth.newBuilder(node).setOversubscribedSince(null).build();
      out.put(name, copy);
    });
    return out;
  }

  /**
   * Reservations the log holds that were not published (lost), and reservations published more
   * than once or where the log holds none (counted twice).
   */
  private record Losses(int lost, int doubled) {
    static Losses between(Map<String, NodeBandwidth> expected, Map<String, NodeBandwidth> published) {
      List<String> held = new ArrayList<>();
      published.values().forEach(node -> node.getReservations().forEach(r -> held.add(r.getPodUid())));
      Set<String> owed = new TreeSet<>();
      expected.values().forEach(node -> node.getReservations().stream().map(Reservation::getPodUid).forEach(owed::add));
      int lost = (int) owed.stream().filter(uid -> !held.contains(uid)).count();
      int doubled = held.size() - new TreeSet<>(held).size()
          + (int) held.stream().distinct().filter(uid -> !owed.contains(uid)).count();
      return new Losses(lost, doubled);
    }
  }
}
