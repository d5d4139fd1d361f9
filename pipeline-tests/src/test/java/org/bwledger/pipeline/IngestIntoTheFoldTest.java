package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bwledger.testkit.EventLogReader.payloadsOf;
import static org.bwledger.testkit.EventLogReader.podsObserved;
import static org.bwledger.testkit.EventLogReader.resyncCopies;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.process.Health;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
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
 * What ingest writes, folded as the ledger folds it: across ingest's restarts, a broker outage and
 * bad input from the API, the books hold every live pod and no deleted one.
 */
@WithKafka
class IngestIntoTheFoldTest {

  private static final String EGRESS = "kubernetes.io/egress-bandwidth";
  private static final String OVN_EGRESS = "ovn.kubernetes.io/egress_rate";

  private final TestKafka kafka;
  private final MockCluster cluster = new MockCluster();
  private final List<AutoCloseable> running = new ArrayList<>();
  private String prefix;

  IngestIntoTheFoldTest(TestKafka kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void prefix(TestInfo test) {
    prefix = "fold-" + test.getTestMethod().orElseThrow().getName() + ".";
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
    assertThat(ingest.health()).isEqualTo(Health.OK);
    assertThat(fold(events).get("bare").getReservations()).extracting(Reservation::getPodUid)
        .containsExactlyInAnyOrder(uid(weird), uid(fine));
  }

  private IngestService startIngest(int bufferedEvents) throws Exception {
    KubernetesClient client = cluster.newClient();
    IngestService ingest = new IngestService(Pipeline.ingestConfig(kafka, prefix, 3).withBufferedEvents(bufferedEvents),
        client, Guard.NONE, Clock.systemUTC());
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

  /** Folds the events in the order read, as the ledger's in-memory fold does. */
  private static SortedMap<String, NodeBandwidth> fold(List<ClusterEvent> events) {
    LocalFold fold = new LocalFold(LedgerRules.DEFAULT);
    events.forEach(fold::apply);
    return fold.published();
  }

  private static String lastEgress(List<ClusterEvent> events, String uid) {
    List<Object> payloads = payloadsOf(events, uid);
    return payloads.isEmpty() ? null : ((PodObserved) payloads.get(payloads.size() - 1)).getBandwidthAnnotations().get(EGRESS);
  }

  private static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }
}
