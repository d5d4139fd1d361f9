package org.bwledger.ingest.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.ingest.testing.MockProducers;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Resync;
import org.junit.jupiter.api.Test;

class RelistsTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void chunksStayWellBelowKafkasRecordLimitAndCoverEveryObjectOnce() {
    TreeSet<String> uids = new TreeSet<>();
    for (int i = 0; i < 60_000; i++) {
      uids.add(UUID.randomUUID().toString());
    }
    TreeSet<String> nodes = new TreeSet<>();
    for (int i = 0; i < 3_000; i++) {
      nodes.add("node-" + "x".repeat(200) + "-" + i);
    }

    List<Resync> chunks = Relists.chunks("r", T0, new Relists.LiveObjects(uids, nodes));

    assertThat(chunks).hasSizeGreaterThan(3);
    assertThat(chunks).extracting(Resync::getChunkIndex).containsExactlyElementsOf(
        IntStream.range(0, chunks.size()).boxed().toList());
    assertThat(chunks).filteredOn(Resync::getLastChunk).containsExactly(chunks.get(chunks.size() - 1));
    assertThat(chunks).flatExtracting(Resync::getPodUids).containsExactlyElementsOf(uids);
    assertThat(chunks).flatExtracting(Resync::getNodeNames).containsExactlyElementsOf(nodes);
    var serializer = MockProducers.TOPIC.valueSerde().serializer();
    assertThat(chunks).allSatisfy(chunk -> assertThat(
        serializer.serialize("t", new ClusterEvent("id", T0, "", chunk)).length).isLessThan(600_000));
  }

  @Test
  void aResyncWaitsForEveryInformerToListAndDatesFromTheEarliestList() throws Exception {
    MockProducers kafka = new MockProducers(true);
    EventLog log = kafka.eventLog(100);
    AtomicInteger ids = new AtomicInteger();
    Relists relists = new Relists(Set.of("pods", "nodes"),
        () -> new Relists.LiveObjects(new TreeSet<>(Set.of("uid-1")), new TreeSet<>(Set.of("n1"))), log,
        Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), () -> "id-" + ids.getAndIncrement(),
        new SimpleMeterRegistry().counter("resyncs"));

    relists.listing("pods", T0.plusSeconds(2));
    relists.listing("nodes", T0.plusSeconds(1));
    relists.listing("bandwidths", T0); // not part of a resync
    relists.listed("pods");
    relists.listed("bandwidths");
    assertThat(log.buffered()).isZero();
    assertThat(kafka.made().get(0).history()).isEmpty();

    relists.listed("nodes");
    relists.listing("pods", T0.plusSeconds(30)); // a relist after a 410 Gone
    relists.listed("pods");
    relists.listed("nodes"); // nothing new to cover

    await().until(() -> log.buffered() == 0);
    List<Resync> published = kafka.made().get(0).history().stream()
        .map(ProducerRecord::value).map(e -> (Resync) e.getPayload()).toList();
    assertThat(published).extracting(Resync::getRelistStartedAt)
        .containsExactly(T0.plusSeconds(1), T0.plusSeconds(1), T0.plusSeconds(1),
            T0.plusSeconds(30), T0.plusSeconds(30), T0.plusSeconds(30));
    assertThat(published).allSatisfy(r -> {
      assertThat(r.getPodUids()).containsExactly("uid-1");
      assertThat(r.getNodeNames()).containsExactly("n1");
    });
    log.close();
  }
}
