package org.bwledger.ingest.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.testkit.EventLogReader.payloadsOf;
import static org.bwledger.testkit.EventLogReader.podsObserved;
import static org.bwledger.testkit.EventLogReader.resyncCopies;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.EventLogReader;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Ingest against the fabric8 mock server (CRUD mode) and a real broker: what each change of the
 * cluster puts on the log, across restarts, outages and bad input.
 */
@WithKafka
class IngestServiceTest {

  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final String HINT = "networking.vaclab.org/link";

  private final TestKafka kafka;
  private MockCluster cluster;
  private String prefix;
  private final List<AutoCloseable> running = new ArrayList<>();

  IngestServiceTest(TestKafka kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void startCluster(TestInfo test) {
    cluster = new MockCluster();
    prefix = test.getTestMethod().orElseThrow().getName() + ".";
  }

  @AfterEach
  void stopAll() throws Exception {
    Collections.reverse(running);
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
    cluster.close();
  }

  @Test
  void everyChangeOfPodsNodesAndBandwidthSpecsBecomesOneEventAndStatusWritesNone() throws Exception {
    IngestService ingest = startIngest(100_000);
    EventLogReader log = reader();
    log.readUntil(events -> resyncCopies(events) == 3);

    cluster.createNode("n1", Map.of("kubernetes.io/hostname", "n1"));
    Pod pod = cluster.createPod("lab", "gossip-0", "n1", "gossip", Map.of(EGRESS, "100M", "unrelated", "x"));
    KubernetesClient k8s = cluster.client();
    k8s.pods().inNamespace("lab").withName("gossip-0").edit(p -> {
      p.getMetadata().getAnnotations().put(EGRESS, "200M");
      return p;
    });
    k8s.pods().inNamespace("lab").withName("gossip-0").edit(p -> {
      p.getMetadata().setLabels(Map.of("only", "a label")); // nothing the rules read
      return p;
    });
    k8s.pods().inNamespace("lab").withName("gossip-0").delete();
    cluster.createBandwidth("n1", Map.of("node", "n1", "capacity", Map.of("network", Map.of("ulMbps", 500))));
    editBandwidthSpec("n1", 700);
    writeBandwidthStatus("n1");
    k8s.nodes().withName("n1").edit(n -> {
      n.getMetadata().getLabels().put(HINT, "10G"); // a marker after the status write: same key, same partition
      return n;
    });
    k8s.nodes().withName("n1").delete();

    String uid = pod.getMetadata().getUid();
    List<ClusterEvent> events = log.readUntil(all -> all.stream().anyMatch(e -> e.getPayload() instanceof NodeGone));

    assertThat(payloadsOf(events, uid)).containsExactly(
        new PodObserved(uid, "lab", "gossip-0", "n1", "Running", false, Map.of(EGRESS, "100M"),
            new Owner("ReplicaSet", "gossip", "uid-gossip"), "10.0.0.1"),
        new PodObserved(uid, "lab", "gossip-0", "n1", "Running", false, Map.of(EGRESS, "200M"),
            new Owner("ReplicaSet", "gossip", "uid-gossip"), "10.0.0.1"),
        new PodGone(uid, "lab", "gossip-0", "n1"));
    assertThat(payloadsOf(events, "n1")).containsExactly(
        new NodeObserved("n1", Map.of()),
        new CapacitySet("n1", new CapacitySpec(null, null, 500L, null)),
        new CapacitySet("n1", new CapacitySpec(null, null, 700L, null)),
        new NodeObserved("n1", Map.of(HINT, "10G")),
        new NodeGone("n1"));
    assertThat(log.records()).allSatisfy(record ->
        assertThat(record.timestamp()).isEqualTo(record.value().getObservedAt().toEpochMilli()));
    assertThat(events).filteredOn(e -> !(e.getPayload() instanceof Resync)) // a resync chunk has a copy per partition
        .extracting(ClusterEvent::getEventId).doesNotHaveDuplicates();
    assertThat(ingest.health().ready()).isTrue();
  }

  @Test
  void aFullBufferHoldsTheWatchesAndSaysSoUntilKafkaIsBack() throws Exception {
    cluster.createNode("n1", Map.of());
    IngestService ingest = startIngest(5);
    EventLogReader log = reader();
    log.readUntil(events -> resyncCopies(events) == 3);
    kafka.takeOffline();
    for (int i = 0; i < 30; i++) {
      cluster.createPod("lab", "p" + i, "n1", null, Map.of(EGRESS, "1M"));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> !ingest.health().ready());
    assertThat(ingest.health().reason()).contains("buffer full");
    assertThat(get(ingest, "/readyz")).startsWith("503 not ready: buffer full");
    assertThat(get(ingest, "/metrics")).contains("bwledger_ingest_backpressure 1.0");
    assertThat(ingest.events().buffered()).isEqualTo(5);

    kafka.bringBack();
    log.readUntil(events -> podsObserved(events).size() == 30);
    await().atMost(Duration.ofSeconds(30)).until(() -> ingest.health().ready());
    assertThat(get(ingest, "/readyz")).isEqualTo("200 ok\n");
    assertThat(get(ingest, "/metrics")).contains("bwledger_ingest_backpressure 0.0")
        .contains("bwledger_ingest_events_published_total{type=\"PodObserved\"} 30.0");
  }

  private IngestService startIngest(int bufferedEvents) throws Exception {
    IngestConfig config = IngestConfig.defaults()
        .withKafka(new KafkaSettings(kafka.bootstrapServers(), prefix, 3, Map.of()))
        .withBufferedEvents(bufferedEvents)
        .withServing(ServingSettings.loopback());
    KubernetesClient client = cluster.newClient();
    IngestService ingest = new IngestService(config, client, Guard.NONE, Clock.systemUTC());
    running.add(client);
    running.add(ingest);
    ingest.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> ingest.health().ready());
    return ingest;
  }

  private EventLogReader reader() {
    EventLogReader reader = new EventLogReader(kafka.bootstrapServers(), Topics.withPrefix(prefix).clusterEvents());
    running.add(reader);
    return reader;
  }

  private void editBandwidthSpec(String name, long networkUl) {
    cluster.patchBandwidthSpec(name, Map.of("node", name, "capacity", Map.of("network", Map.of("ulMbps", networkUl))));
  }

  private void writeBandwidthStatus(String name) {
    var resource = cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT)
        .withName(name);
    GenericKubernetesResource bandwidth = resource.get();
    bandwidth.setAdditionalProperty("status", Map.of("status", "written by the projector"));
    cluster.client().genericKubernetesResources(BandwidthCrd.CONTEXT)
        .resource(bandwidth).updateStatus();
  }

  private static String get(IngestService ingest, String path) throws Exception {
    int port = path.equals("/metrics") ? ingest.listeners().apiPort() : ingest.listeners().probePort();
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
