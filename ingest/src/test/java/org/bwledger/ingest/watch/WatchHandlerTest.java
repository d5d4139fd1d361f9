package org.bwledger.ingest.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.ingest.testing.MockProducers;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one informer notification puts on the log. */
class WatchHandlerTest {

  private final MockProducers kafka = new MockProducers(true);
  private final EventLog log = kafka.eventLog(100);
  private final Counter untranslatable = new SimpleMeterRegistry().counter("untranslatable");
  private final AtomicInteger ids = new AtomicInteger();
  private final WatchHandler<Pod> handler = handler();

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void aDeleteWhoseFinalStateIsUnknownIsPublishedLikeAnyOtherDelete() {
    handler.onDelete(pod("p1", Map.of("only", "labels")), true);

    assertThat(payloads()).singleElement().isInstanceOf(PodGone.class)
        .satisfies(gone -> assertThat(((PodGone) gone).getUid()).isEqualTo("uid-p1"));
  }

  @Test
  void anUpdateThatLeavesTheEventUnchangedAddsNothingAndOneThatChangesItAddsOne() {
    Pod before = pod("p1", Map.of("app", "a"));
    Pod relabelled = pod("p1", Map.of("app", "b"));
    Pod moved = new PodBuilder(relabelled).editSpec().withNodeName("n2").endSpec().build();

    handler.onUpdate(before, relabelled);
    handler.onUpdate(relabelled, moved);

    assertThat(payloads()).singleElement()
        .satisfies(observed -> assertThat(((PodObserved) observed).getNodeName()).isEqualTo("n2"));
  }

  @Test
  void anObjectThatCannotBecomeAnEventIsCountedAndSkipped() {
    Pod noUid = new PodBuilder(pod("p1", Map.of())).editMetadata().withUid(null).endMetadata().build();

    handler.onAdd(noUid);
    handler.onAdd(pod("p2", Map.of()));

    assertThat(untranslatable.count()).isEqualTo(1);
    assertThat(payloads()).singleElement().isInstanceOf(PodObserved.class);
  }

  private List<Object> payloads() {
    await().until(() -> log.buffered() == 0);
    return kafka.made().get(0).history().stream().map(ProducerRecord::value).map(e -> (Object) e.getPayload())
        .toList();
  }

  private WatchHandler<Pod> handler() {
    EventTranslator translator = new EventTranslator(IngestConfig.defaults().bandwidthAnnotations());
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    WatchedKind<Pod> pods = WatchedKind.pods(translator, clock);
    Relists relists = new Relists(Set.of("pods"), () -> null, log, clock, () -> "r", untranslatable);
    return new WatchHandler<>(pods, "pods", log, relists, clock, () -> "e-" + ids.getAndIncrement(), untranslatable);
  }

  private static Pod pod(String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata().withNamespace("lab").withName(name).withUid("uid-" + name).withLabels(labels)
        .withAnnotations(Map.of("kubernetes.io/egress-bandwidth", "10M")).endMetadata()
        .withNewSpec().withNodeName("n1").endSpec()
        .withNewStatus().withPhase("Running").endStatus()
        .build();
  }
}
