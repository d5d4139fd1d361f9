package org.bwledger.ingest.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.bwledger.ingest.testing.EventLogReader;
import org.bwledger.ingest.testing.MockCluster;
import org.bwledger.ingest.watch.ClusterWatch;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.TestKafka;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeGone;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.event.Resync;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Ingest against the fabric8 mock server (CRUD mode) and a real broker: what each change of the
 * cluster puts on the log, across restarts, outages and bad input.
 */
class IngestServiceTest {

  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final String OVN_EGRESS = "ovn.kubernetes.io/egress_rate";
  private static final String HINT = "networking.vaclab.org/link";

  private static TestKafka kafka;

  private MockCluster cluster;
  private String prefix;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = TestKafka.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    kafka.close();
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
  void afterARestartTheFoldHoldsNoDeletedPodAndEveryNewOne() throws Exception {
    cluster.createNode("n1", Map.of());
    cluster.createNode("n2", Map.of());
    Pod kept = cluster.createPod("lab", "kept", "n1", null, Map.of(EGRESS, "10M"));
    Pod deletedA = cluster.createPod("lab", "deleted-a", "n1", "w", Map.of(EGRESS, "20M"));
    Pod deletedB = cluster.createPod("lab", "deleted-b", "n2", null, Map.of(OVN_EGRESS, "30"));
    IngestService first = startIngest(100_000);
    EventLogReader log = reader();
    log.readUntil(events -> resyncCopies(events) == 3 && podsObserved(events).size() == 3);
    first.close();
    running.remove(first);

    cluster.client().pods().inNamespace("lab").withName("deleted-a").delete();
    cluster.client().pods().inNamespace("lab").withName("deleted-b").delete();
    cluster.client().nodes().withName("n2").delete();
    Pod addedC = cluster.createPod("lab", "added-c", "n1", null, Map.of(EGRESS, "40M"));
    Pod addedD = cluster.createPod("lab", "added-d", "n1", "w", Map.of(OVN_EGRESS, "50"));
    startIngest(100_000);
    List<ClusterEvent> events = log.readUntil(all -> resyncCopies(all) == 6);

    assertThat(events).noneMatch(e -> e.getPayload() instanceof PodGone); // the deletes were never seen...
    SortedMap<String, NodeBandwidth> nodes = fold(events);
    assertThat(nodes).containsOnlyKeys("n1"); // ...yet the fold retired them, and the node that went
    assertThat(nodes.get("n1").getReservations()).extracting(Reservation::getPodUid)
        .containsExactlyInAnyOrder(uid(kept), uid(addedC), uid(addedD))
        .doesNotContain(uid(deletedA), uid(deletedB));
    assertThat(nodes.get("n1").getUsed().getLocalUlMbps()).isEqualTo(10 + 40 + 50);
  }

  @Test
  void aBrokerOutageDelaysEveryChangeAndLosesOrReordersNone() throws Exception {
    cluster.createNode("n1", Map.of());
    startIngest(100_000);
    EventLogReader log = reader();
    log.readUntil(events -> resyncCopies(events) == 3);

    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pods.add(cluster.createPod("lab", "p" + i, "n1", "w" + (i % 3), Map.of(EGRESS, "1M")));
    }
    log.readUntil(events -> podsObserved(events).size() == 20);
    kafka.takeOffline();
    for (int round = 2; round <= 6; round++) {
      for (int i = 0; i < pods.size(); i++) {
        String value = round + "M";
        cluster.client().pods().inNamespace("lab").withName("p" + i).edit(p -> {
          p.getMetadata().getAnnotations().put(EGRESS, value);
          return p;
        });
      }
    }
    kafka.bringBack();
    List<ClusterEvent> events = log.readUntil(all -> pods.stream().allMatch(pod ->
        "6M".equals(lastEgress(all, uid(pod)))));

    for (Pod pod : pods) {
      List<String> values = new ArrayList<>();
      payloadsOf(events, uid(pod)).forEach(payload -> {
        String value = ((PodObserved) payload).getBandwidthAnnotations().get(EGRESS);
        if (values.isEmpty() || !values.get(values.size() - 1).equals(value)) {
          values.add(value); // a resent event may repeat; the fold absorbs that
        }
      });
      assertThat(values).as("egress of %s in log order", pod.getMetadata().getName())
          .containsExactly("1M", "2M", "3M", "4M", "5M", "6M");
    }
    assertThat(fold(events).get("n1").getReservations()).hasSize(20)
        .allSatisfy(r -> assertThat(r.getUlMbps()).isEqualTo(6));
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

  @Test
  void badInputFromTheApiIsPublishedFaithfullyAndIngestGoesOn() throws Exception {
    IngestService ingest = startIngest(100_000);
    EventLogReader log = reader();
    log.readUntil(events -> resyncCopies(events) == 3);
    String huge = "9".repeat(200_000) + "M";
    cluster.createNode("bare", Map.of());
    Map<String, String> absurd = new HashMap<>();
    absurd.put(EGRESS, "-5Ti");
    absurd.put(OVN_EGRESS, "lots");
    absurd.put("kubernetes.io/ingress-bandwidth", huge);
    absurd.put("ovn.kubernetes.io/ingress_rate", "１００ ✈ 帯域");
    Pod weird = cluster.createPod("lab", "pöd-ünïcode-名前", "bare", null, absurd);
    Pod fine = cluster.createPod("lab", "after", "bare", null, Map.of(EGRESS, "10M"));

    List<ClusterEvent> events = log.readUntil(all -> podsObserved(all).size() == 2);

    PodObserved observed = (PodObserved) payloadsOf(events, uid(weird)).get(0);
    assertThat(observed.getName()).isEqualTo("pöd-ünïcode-名前");
    assertThat(observed.getBandwidthAnnotations()).isEqualTo(absurd);
    assertThat(payloadsOf(events, "bare")).containsExactly(new NodeObserved("bare", Map.of()));
    assertThat(ingest.health()).isEqualTo(new OpsServer.Health(true, true, ""));
    assertThat(fold(events).get("bare").getReservations()).extracting(Reservation::getPodUid)
        .containsExactlyInAnyOrder(uid(weird), uid(fine));
  }

  private IngestService startIngest(int bufferedEvents) throws Exception {
    IngestConfig config = new IngestConfig(kafka.bootstrapServers(), prefix, Map.of(), IngestConfig.DEFAULT_ANNOTATIONS,
        List.of(), 3, bufferedEvents, "127.0.0.1", 0);
    KubernetesClient client = cluster.newClient();
    IngestService ingest = new IngestService(config, client, Clock.systemUTC());
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
    var resource = cluster.client().genericKubernetesResources(ClusterWatch.BANDWIDTHS)
        .withName(name);
    GenericKubernetesResource bandwidth = resource.get();
    bandwidth.setAdditionalProperty("status", Map.of("status", "written by the projector"));
    cluster.client().genericKubernetesResources(ClusterWatch.BANDWIDTHS)
        .resource(bandwidth).updateStatus();
  }

  private static String get(IngestService ingest, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingest.opsPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  /** Folds the events in the order read, as the ledger's in-memory fold does. */
  private static SortedMap<String, NodeBandwidth> fold(List<ClusterEvent> events) {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    events.forEach(fold::apply);
    return fold.published();
  }

  private static List<Object> payloadsOf(List<ClusterEvent> events, String key) {
    return events.stream()
        .filter(e -> ClusterEventKey.of(e).equals(key))
        .map(ClusterEvent::getPayload)
        .toList();
  }

  private static Set<String> podsObserved(List<ClusterEvent> events) {
    return events.stream().filter(e -> e.getPayload() instanceof PodObserved)
        .map(e -> ((PodObserved) e.getPayload()).getUid())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static long resyncCopies(List<ClusterEvent> events) {
    return events.stream().filter(e -> e.getPayload() instanceof Resync r && r.getLastChunk()).count();
  }

  private static String lastEgress(List<ClusterEvent> events, String uid) {
    List<Object> payloads = payloadsOf(events, uid);
    return payloads.isEmpty() ? null : ((PodObserved) payloads.get(payloads.size() - 1)).getBandwidthAnnotations().get(EGRESS);
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }
}
