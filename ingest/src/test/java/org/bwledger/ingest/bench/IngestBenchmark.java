package org.bwledger.ingest.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.topic.ClusterEventKey;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;

/**
 * How fast ingest turns a cluster into log events, and what it holds in memory, beside a plain
 * producer writing the same events to the same in-JVM broker (the baseline).
 *
 * <p>Phases: list (ingest starts against a cluster of {@code pods} realistic pods), churn ({@code edits}
 * annotation edits of {@code churnPods} pods, from two threads through the API). Run on demand:
 * {@code mvn -q -pl ingest exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.ingest.bench.IngestBenchmark -Dexec.args="50000 2000 10000"}.
 */
public final class IngestBenchmark {

  private static final int NODES = 100;
  private static final int PARTITIONS = 6;

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int churnPods = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int edits = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    try (TestKafka kafka = TestKafka.start()) {
      listPhase(kafka, pods);
      churnPhase(kafka, churnPods, edits);
    }
  }

  /**
   * Start against a cluster of {@code pods}: the mock server in expectation mode answers the lists
   * (its CRUD mode takes minutes to create tens of thousands of pods), so the figures are ingest's.
   */
  private static void listPhase(TestKafka kafka, int pods) throws Exception {
    List<Pod> cluster = IntStream.range(0, pods).mapToObj(IngestBenchmark::realisticPod).toList();
    double baseline = baselineRate(kafka, translated(cluster));
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    server.expect().get().withPath("/api/v1/pods?resourceVersion=0")
        .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
            .withItems(cluster).build()).always();
    server.expect().get().withPath("/api/v1/nodes?resourceVersion=0")
        .andReturn(200, new NodeListBuilder().withNewMetadata().withResourceVersion("1").endMetadata()
            .withItems(IntStream.range(0, NODES).mapToObj(n -> new NodeBuilder().withNewMetadata()
                .withName("node-" + n).withUid("n-" + n).endMetadata().build()).toList()).build()).always();
    server.expect().get().withPath("/apis/networking.vaclab.org/v1/bandwidths?resourceVersion=0")
        .andReturn(200, Map.of("apiVersion", "networking.vaclab.org/v1", "kind", "BandwidthList",
            "metadata", Map.of("resourceVersion", "1"), "items", List.of())).always();
    for (String watch : List.of("/api/v1/pods", "/api/v1/nodes", "/apis/networking.vaclab.org/v1/bandwidths")) {
      server.expect().get().withPath(watch + "?allowWatchBookmarks=true&resourceVersion=1&timeoutSeconds=600&watch=true")
          .andUpgradeToWebSocket().open().done().always();
    }
    IngestConfig config = config(kafka, "list.");
    long heapWithIngest;
    double rate;
    try (Admin admin = kafka.admin()) {
      KubernetesClient client = server.createClient();
      IngestService ingest = new IngestService(config, client, Guard.NONE, Clock.systemUTC());
      long start = System.nanoTime();
      ingest.start();
      awaitRecords(admin, config, NODES + pods + PARTITIONS); // every object once, one resync chunk per partition
      rate = pods / ((System.nanoTime() - start) / 1e9);
      heapWithIngest = usedHeapAfterGc();
      ingest.close();
      client.close();
    }
    long heap = heapWithIngest - usedHeapAfterGc(); // what closing ingest set free: its caches and clients
    server.destroy();
    System.out.printf("%nplain producer, %,d pod events (baseline) %,10.0f events/s%n", pods, baseline);
    System.out.printf("ingest, start to %,d pods in the log      %,10.0f events/s   (%.2f of baseline)%n",
        pods, rate, rate / baseline);
    System.out.printf("ingest heap holding %,d pods: %,.0f MiB (%,.0f bytes per pod)%n",
        pods, heap / 1048576.0, (double) heap / pods);
  }

  /** Edits through the mock server in CRUD mode, which sends each as a watch event. */
  private static void churnPhase(TestKafka kafka, int pods, int edits) throws Exception {
    try (MockCluster cluster = new MockCluster(); Admin admin = kafka.admin()) {
      KubernetesClient k8s = cluster.client();
      populate(k8s, pods);
      IngestConfig config = config(kafka, "churn.");
      try (KubernetesClient client = cluster.newClient();
           IngestService ingest = new IngestService(config, client, Guard.NONE, Clock.systemUTC())) {
        ingest.start();
        long listed = NODES + pods + PARTITIONS;
        awaitRecords(admin, config, listed);
        long start = System.nanoTime();
        long applied = timeMillis(() -> churn(k8s, pods, edits));
        awaitRecords(admin, config, listed + edits);
        double rate = edits / ((System.nanoTime() - start) / 1e9);
        System.out.printf("ingest, %,d edits of %,d pods through the API %,8.0f events/s   (the API took them at "
            + "%,.0f/s)%n", edits, pods, rate, edits / (applied / 1e3));
      }
    }
  }

  private static void populate(KubernetesClient k8s, int pods) {
    for (int n = 0; n < NODES; n++) {
      k8s.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-" + n)
          .endMetadata().build()).create();
    }
    parallel(pods, i -> k8s.pods().inNamespace("lab").resource(realisticPod(i)).create());
  }

  private static void churn(KubernetesClient k8s, int pods, int edits) {
    parallel(edits, i -> k8s.pods().inNamespace("lab").withName("pod-" + (i % pods)).edit(p -> {
      p.getMetadata().getAnnotations().put("kubernetes.io/egress-bandwidth", (i + 2) + "M");
      return p;
    }));
  }

  /** A pod about as large as a real one: two containers with env, resources, ports; labels; an owner. */
  private static Pod realisticPod(int i) {
    List<EnvVar> env = IntStream.range(0, 10).mapToObj(e -> new EnvVar("VAR_" + e, "value-" + e, null)).toList();
    return new PodBuilder()
        .withNewMetadata().withName("pod-" + i).withNamespace("lab").withUid(UUID.randomUUID().toString())
        .withLabels(Map.of("app", "swarm", "tier", "peer", "experiment", "e" + (i % 7), "pod-template-hash", "7d9f"))
        .withAnnotations(Map.of("kubernetes.io/egress-bandwidth", "1M", "kubernetes.io/ingress-bandwidth", "1M",
            "prometheus.io/scrape", "true"))
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("swarm-" + (i % 500))
        .withUid("rs-" + (i % 500)).withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("node-" + (i % NODES))
        .withContainers(container("peer", env), container("metrics", env))
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.0." + (i / 250) + "." + (i % 250)).endStatus()
        .build();
  }

  private static Container container(String name, List<EnvVar> env) {
    return new ContainerBuilder().withName(name).withImage("registry.lab/" + name + ":1.4.2")
        .withArgs("--listen", "/ip4/0.0.0.0/tcp/4001", "--bootstrap", "dns4/bootstrap.lab/tcp/4001")
        .withEnv(env)
        .addNewPort().withContainerPort(4001).withName("p2p").endPort()
        .withNewResources().addToRequests("cpu", new Quantity("100m")).addToLimits("memory", new Quantity("256Mi"))
        .endResources()
        .build();
  }

  private static List<ClusterEvent> translated(List<Pod> pods) {
    EventTranslator translator = new EventTranslator(IngestConfig.defaults().bandwidthAnnotations());
    List<ClusterEvent> events = new ArrayList<>();
    for (Pod pod : pods) {
      events.add(translator.podObserved(pod, UUID.randomUUID().toString(), Instant.now()));
    }
    return events;
  }

  /** The same events through a plain producer with ingest's settings, to the same broker. */
  private static double baselineRate(TestKafka kafka, List<ClusterEvent> events) throws Exception {
    IngestConfig config = config(kafka, "baseline.");
    Topics topics = config.kafka().topics();
    try (Admin admin = kafka.admin()) {
      topics.createMissing(admin, PARTITIONS);
    }
    try (KafkaProducer<String, ClusterEvent> producer = new KafkaProducer<>(config.producerProperties(),
        topics.clusterEvents().keySerde().serializer(), topics.clusterEvents().valueSerde().serializer())) {
      long start = System.nanoTime();
      for (ClusterEvent event : events) {
        producer.send(new ProducerRecord<>(topics.clusterEvents().name(), null, event.getObservedAt().toEpochMilli(),
            ClusterEventKey.of(event), event));
      }
      producer.flush();
      return events.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Ingest's configuration for one phase, under its own topic prefix, serving on loopback. */
  private static IngestConfig config(TestKafka kafka, String prefix) {
    return IngestConfig.defaults()
        .withKafka(new KafkaSettings(kafka.bootstrapServers(), prefix, PARTITIONS, Map.of()))
        .withServing(ServingSettings.loopback());
  }

  private static void awaitRecords(Admin admin, IngestConfig config, long count) throws Exception {
    String topic = config.kafka().topics().clusterEvents().name();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    while (admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum() < count) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static void parallel(int count, IntConsumer task) {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    IntStream.range(0, count).forEach(i -> pool.submit(() -> task.accept(i)));
    pool.shutdown();
    try {
      pool.awaitTermination(1, TimeUnit.HOURS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long timeMillis(Runnable task) {
    long start = System.nanoTime();
    task.run();
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }
}
