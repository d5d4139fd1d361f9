package org.bwledger.pipeline.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.projector.app.ProjectorConfig;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.testing.TestProjectors;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.http.TlsSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.Owner;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Reservation;
import org.bwledger.schemas.state.ReservationState;
import org.bwledger.schemas.topic.Topic;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestCertificates.Issued;
import org.bwledger.testkit.TestCertificates.KeyForm;
import org.bwledger.testkit.TestCertificates;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.bench.BenchArguments;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * Figures for the projector, on demand (not in CI):
 * <ol>
 *   <li>REST latency under {@code wrk} on loopback, for one node and for the list of {@code nodes} nodes
 *       (20 reservations each), against a trivial endpoint ({@code /healthz}) as the baseline;</li>
 *   <li>the scheduler extender's filter and prioritize over all {@code nodes} nodes (by name, and filter
 *       with whole Node objects too), one connection at a time as kube-scheduler calls them and sixteen
 *       at once, against the same baseline;</li>
 *   <li>the extender's filter over mutual TLS beside plain HTTP, in the same run, from a Java client
 *       (wrk shows no client certificate): one connection and sixteen, HTTP/1.1 kept alive;</li>
 *   <li>reads served by two replicas beside one: the same wrk load on one, then split over both, the
 *       partitions each holds, and whether they answer every node alike;</li>
 *   <li>event-to-status latency through the whole pipeline (mock API → ingest → ledger → projector),
 *       from each event's observation to its node's status seen by a watch on the Bandwidth objects,
 *       after a warm-up, and to the REST API's first answer that holds it.</li>
 * </ol>
 * Needs {@code wrk} (Debian: {@code apt-get install wrk}). Run, after {@code mvn -q install -DskipTests}:
 * {@code mvn -q -pl pipeline-tests exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.pipeline.bench.ProjectorBenchmark -Dexec.args="2000"}; a second
 * argument picks sections ({@code rest}, {@code extender}, {@code replicas}, {@code status}, comma-separated), e.g.
 * {@code -Dexec.args="2000 status"} for the latency alone (no wrk needed); a third, emit intervals in
 * milliseconds to measure it under side by side, and a fourth the bound on status writes per second, e.g.
 * {@code -Dexec.args="2000 status 1000,250,100 20"}; and Kafka Streams settings of the ledger, each an
 * argument of its own, anywhere ({@code commit.interval.ms=30 consumer.fetch.max.wait.ms=10}). The
 * figures end in one table;
 * {@code -Dbench.json=FILE} writes them as JSON too.
 */
public final class ProjectorBenchmark {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often the status section asks the REST API for every node: the resolution of its REST figure. */
  private static final Duration ANSWER_POLL = Duration.ofMillis(10);

  /** Status runs so far: each runs on topics and application ids of its own. */
  private static final AtomicInteger STATUS_RUNS = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    BenchArguments arguments = BenchArguments.parse(args);
    int nodes = Integer.parseInt(arguments.at(0, "2000"));
    Set<String> sections = Set.of(arguments.at(1, "rest,extender,replicas,status").split(","));
    List<Duration> emitIntervals = arguments.millis(2, LedgerConfig.defaults().emitInterval());
    double writesPerSecond = Double.parseDouble(arguments.at(3, "" + ProjectorConfig.defaults().statusWritesPerSecond()));
    Map<String, String> ledgerStreams = arguments.streamsSettings();
    List<Figure> figures = new ArrayList<>();
    Path state = Files.createTempDirectory("bwledger-bench");
    try (TestKafka kafka = TestKafka.start(); MockCluster cluster = new MockCluster()) {
      if (sections.contains("rest")) {
        figures.addAll(restLatency(kafka, cluster, nodes, state));
      }
      if (sections.contains("extender")) {
        extenderOverMutualTls(kafka, cluster, nodes, state);
      }
      if (sections.contains("replicas")) {
        figures.addAll(replicas(kafka, cluster, nodes, state));
      }
      if (sections.contains("status")) {
        warmUpForStatus(kafka, state, emitIntervals.get(0), writesPerSecond, ledgerStreams);
        for (Duration emitInterval : emitIntervals) {
          figures.addAll(statusLatency(kafka, state, emitInterval, writesPerSecond, ledgerStreams));
        }
      }
    }
    System.out.println();
    Figures.report(figures);
  }

  /** REST latency of one node beside {@code /healthz}, under wrk; needs wrk on the PATH. */
  public static List<Figure> restLatency(int nodes) throws Exception {
    Path state = Files.createTempDirectory("bwledger-bench");
    try (TestKafka kafka = TestKafka.start(); MockCluster cluster = new MockCluster()) {
      return restLatency(kafka, cluster, nodes, state);
    }
  }

  /** Event-to-status latency through the whole pipeline, split at ingest's and the ledger's output. */
  public static List<Figure> statusLatency(Duration emitInterval) throws Exception {
    Path state = Files.createTempDirectory("bwledger-bench");
    double writesPerSecond = ProjectorConfig.defaults().statusWritesPerSecond();
    try (TestKafka kafka = TestKafka.start()) {
      warmUpForStatus(kafka, state, emitInterval, writesPerSecond, Map.of());
      return statusLatency(kafka, state, emitInterval, writesPerSecond, Map.of());
    }
  }

  /**
   * One whole run of the status section, not reported: on 2 cores the JIT compiling Kafka, the
   * broker and all three services takes a core for most of a first run (its status median came out
   * 0.34 s, the runs after it 0.29 s), and a benchmark should measure the pipeline, not the JIT.
   */
  private static void warmUpForStatus(TestKafka kafka, Path state, Duration emitInterval, double writesPerSecond,
      Map<String, String> ledgerStreams) throws Exception {
    System.out.printf("%nA first run of the status section warms the JVM up; its figures are not reported.%n");
    statusLatency(kafka, state, emitInterval, writesPerSecond, ledgerStreams);
  }

  private static List<Figure> restLatency(TestKafka kafka, MockCluster cluster, int nodes, Path state)
      throws Exception {
    nodesPublished(kafka, "rest.", nodes);
    try (KubernetesClient client = cluster.newClient();
         ProjectorService projector = new ProjectorService(config(kafka, "rest.", state.resolve("rest"), 1_000),
             client, Guard.NONE, Clock.systemUTC())) {
      projector.start();
      await().atMost(Duration.ofMinutes(5)).until(() -> projector.health().ready()
          && projector.queries().all().size() == nodes);
      String base = "http://127.0.0.1:" + projector.listeners().apiPort();
      String probes = "http://127.0.0.1:" + projector.listeners().probePort();
      String extender = "http://127.0.0.1:" + projector.extenderPort();
      for (String path : List.of("/healthz", "/api/v1/nodes/node-42", "/api/v1/nodes")) {
        wrk((path.equals("/healthz") ? probes : base) + path, "warm-up", "16", null); // JIT, pools, caches
      }
      System.out.printf("%nREST latency, wrk -t2 -c16 -d15s after a warm-up, %,d nodes of 20 reservations each:%n",
          nodes);
      Wrk healthz = wrk(probes + "/healthz", "baseline: /healthz");
      Wrk node = wrk(base + "/api/v1/nodes/node-42", "one node: /api/v1/nodes/node-42");
      Wrk list = wrk(base + "/api/v1/nodes", "the list: /api/v1/nodes");
      List.of(healthz, node, list).forEach(System.out::println);
      String setting = String.format(", wrk -c16, %,d nodes", nodes);
      List<Figure> figures = List.of(
          Figure.of("rest", "GET /api/v1/nodes/{node} median" + setting, node.medianMs(), "ms")
              .beside("GET /healthz", healthz.medianMs()),
          Figure.of("rest", "GET /api/v1/nodes/{node} p99" + setting, node.p99Ms(), "ms")
              .beside("GET /healthz", healthz.p99Ms()),
          Figure.of("rest", "GET /api/v1/nodes p99" + setting, list.p99Ms(), "ms")
              .beside("GET /healthz", healthz.p99Ms()));

      Path byName = Files.writeString(state.resolve("extender-by-name.json"), extenderRequest(nodes, false));
      Path whole = Files.writeString(state.resolve("extender-whole.json"), extenderRequest(nodes, true));
      for (String load : List.of("1", "16")) {
        System.out.printf("%nScheduler extender latency, wrk -c%s -d15s, a pod of 100 Mbit/s egress against %,d "
            + "nodes:%n", load, nodes);
        System.out.println(wrk(probes + "/healthz", "baseline: GET /healthz", load, null));
        System.out.println(wrk(extender + "/scheduler/filter", "filter, NodeNames", load, byName));
        System.out.println(wrk(extender + "/scheduler/prioritize", "prioritize, NodeNames", load, byName));
        System.out.println(wrk(extender + "/scheduler/filter", "filter, whole Nodes (" + Files.size(whole) / 1024
            + " KiB)", load, whole));
      }
      return figures;
    }
  }

  /**
   * Filter by name over all {@code nodes}, from a projector whose extender speaks plain HTTP and then
   * from one whose extender asks for client certificates (as the chart runs it), each after a warm-up.
   */
  private static void extenderOverMutualTls(TestKafka kafka, MockCluster cluster, int nodes, Path state)
      throws Exception {
    nodesPublished(kafka, "tls.", nodes);
    TestCertificates ca = TestCertificates.authority("bench", state.resolve("ca"));
    Issued serving = ca.issue("projector", List.of("localhost"), List.of("127.0.0.1"), KeyForm.EC_PKCS8);
    Issued scheduler = ca.issue("kube-scheduler", List.of(), List.of(), KeyForm.EC_PKCS8);
    TlsSettings mutual = new TlsSettings(serving.certificate(), serving.privateKey(), ca.caFile());
    byte[] body = extenderRequest(nodes, false).getBytes(StandardCharsets.UTF_8);
    System.out.printf("%nScheduler extender filter, NodeNames of %,d nodes, Java client, HTTP/1.1 kept alive, 15 s:%n",
        nodes);
    for (TlsSettings tls : Arrays.asList(null, mutual)) {
      String scheme = tls == null ? "http" : "https";
      try (KubernetesClient client = cluster.newClient();
           ProjectorService projector = new ProjectorService(config(kafka, "tls.", state.resolve("tls-" + scheme), 1_000)
               .withExtender(new HttpSettings("127.0.0.1", 0, tls)), client, Guard.NONE, Clock.systemUTC())) {
        projector.start();
        await().atMost(Duration.ofMinutes(5)).until(() -> projector.health().ready()
            && projector.queries().all().size() == nodes);
        URI filter = URI.create(scheme + "://127.0.0.1:" + projector.extenderPort() + "/scheduler/filter");
        SSLContext context = tls == null ? null
            : new TlsSettings(scheduler.certificate(), scheduler.privateKey(), ca.caFile()).sslContext();
        HttpClient probe = context == null ? HttpClient.newHttpClient()
            : HttpClient.newBuilder().sslContext(context).build();
        // Ready is not deciding: the extender answers 503 until this replica holds the Lease.
        await().atMost(Duration.ofMinutes(1)).until(() -> probe.send(HttpRequest.newBuilder(filter)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200);
        for (int connections : new int[] {1, 16}) {
          post(filter, body, context, connections, Duration.ofSeconds(5)); // warm-up
          System.out.printf("  %-36s %s%n", (tls == null ? "plain HTTP" : "mutual TLS") + ", " + connections
              + (connections == 1 ? " connection" : " connections"),
              post(filter, body, context, connections, Duration.ofSeconds(15)));
        }
      }
    }
  }

  /** POSTs {@code body} from {@code connections} clients, each waiting for its answer, for {@code duration}. */
  private static String post(URI uri, byte[] body, SSLContext context, int connections, Duration duration)
      throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    List<Future<List<Long>>> clients = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(connections);
    try {
      for (int c = 0; c < connections; c++) {
        clients.add(threads.submit(() -> {
          HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
          if (context != null) {
            builder.sslContext(context);
          }
          HttpClient client = builder.build();
          HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          List<Long> nanos = new ArrayList<>();
          while (System.nanoTime() < deadline) {
            long start = System.nanoTime();
            HttpResponse<byte[]> answer = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
              throw new IllegalStateException("filter answered " + answer.statusCode());
            }
            nanos.add(System.nanoTime() - start);
          }
          return nanos;
        }));
      }
      long[] all = new long[0];
      for (Future<List<Long>> client : clients) {
        long[] some = client.get().stream().mapToLong(Long::longValue).toArray();
        long[] joined = Arrays.copyOf(all, all.length + some.length);
        System.arraycopy(some, 0, joined, all.length, some.length);
        all = joined;
      }
      Arrays.sort(all);
      return String.format("median %6.2fms  p99 %6.2fms  %7.1f requests/s", all[all.length / 2] / 1e6,
          all[(int) (all.length * 0.99)] / 1e6, all.length / (double) duration.toSeconds());
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * What kube-scheduler sends: the whole pod, and the candidates by name ({@code nodeCacheCapable})
   * or as a NodeList of small Node objects.
   */
  private static String extenderRequest(int nodes, boolean whole) {
    StringBuilder candidates = new StringBuilder();
    for (int n = 0; n < nodes; n++) {
      candidates.append(n == 0 ? "" : ", ").append(whole
          ? """
            {"metadata": {"name": "node-%d", "uid": "uid-node-%d", "labels": {"kubernetes.io/hostname": "node-%d"}},
             "status": {"capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
               "conditions": [{"type": "Ready", "status": "True"}]}}""".formatted(n, n, n)
          : "\"node-" + n + "\"");
    }
    return """
        {"Pod": {"kind": "Pod", "apiVersion": "v1",
          "metadata": {"name": "iperf-0", "namespace": "lab", "uid": "uid-iperf-0",
            "annotations": {"kubernetes.io/egress-bandwidth": "100M"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "iperf", "uid": "uid-iperf",
              "controller": true}]},
          "spec": {"containers": [{"name": "iperf", "image": "networkstatic/iperf3"}]},
          "status": {"phase": "Pending"}},
         %s}""".formatted(whole
            ? "\"Nodes\": {\"items\": [" + candidates + "]}, \"NodeNames\": null"
            : "\"Nodes\": null, \"NodeNames\": [" + candidates + "]");
  }

  /**
   * Event-to-status latency on one pipeline: 600 pods at 20 a second to warm it up (on 2 cores the
   * JIT compiling Kafka, the broker and all three services takes a core for most of a first run,
   * and the first transactions of new topics are slow), then 600 more, measured. The status is
   * measured as a user sees it: by watching the Bandwidth objects, as {@code kubectl get bw -w} does.
   */
  private static List<Figure> statusLatency(TestKafka kafka, Path state, Duration emitInterval,
      double writesPerSecond, Map<String, String> ledgerStreams) throws Exception {
    String prefix = "e2e-" + emitInterval.toMillis() + "-" + STATUS_RUNS.incrementAndGet() + "."; // a fresh pipeline
    List<AutoCloseable> running = new ArrayList<>();
    try {
      MockCluster cluster = new MockCluster(); // its own, so ingest's first list holds none of an earlier run's pods
      running.add(cluster);
      KubernetesClient ingestClient = cluster.newClient();
      running.add(ingestClient);
      IngestService ingest = new IngestService(Pipeline.ingestConfig(kafka, prefix, 6).withBufferedEvents(10_000),
          ingestClient, Guard.NONE, Clock.systemUTC());
      running.add(ingest);
      ingest.start();
      // The ledger as deployed but for the emit interval: its commits, which the latency measures.
      LedgerService ledger = new LedgerService(LedgerConfig.defaults().withEmitInterval(emitInterval)
          .withKafka(new KafkaSettings(kafka.bootstrapServers(), prefix, 6, ledgerStreams))
          .withApplicationId(prefix + "ledger")
          .withStateDir(Files.createDirectories(state.resolve(prefix + "ledger")))
          .withServing(ServingSettings.loopback()), Guard.NONE);
      running.add(ledger);
      ledger.start();
      KubernetesClient projectorClient = cluster.newClient();
      running.add(projectorClient);
      ProjectorService projector = new ProjectorService(config(kafka, prefix, state.resolve(prefix + "projector"), writesPerSecond),
          projectorClient, Guard.NONE, Clock.systemUTC());
      running.add(projector);
      projector.start();
      await().atMost(Duration.ofMinutes(2)).until(() -> projector.health().ready() && ingest.health().ready()
          && ledger.health().ready());
      Lags ingestOutput = new Lags();
      running.add(readLags(kafka, Topics.withPrefix(prefix).clusterEvents(), ClusterEvent::getObservedAt, ingestOutput));
      Lags ledgerOutput = new Lags();
      running.add(readLags(kafka, Topics.withPrefix(prefix).nodeBandwidth(), NodeBandwidth::getUpdatedAt, ledgerOutput));
      Lags answers = new Lags();
      running.add(pollAnswerLags("http://127.0.0.1:" + projector.listeners().apiPort(), answers));
      Lags statuses = new Lags();
      KubernetesClient watching = cluster.newClient();
      running.add(watching);
      running.add(watchStatusLags(watching, statuses));

      for (int n = 0; n < 20; n++) {
        cluster.createNode("worker-" + n, Map.of());
      }
      int pods = 600;
      createPods(cluster, projector, "warm-up", pods, pods);
      List.of(ingestOutput, ledgerOutput, answers, statuses).forEach(Lags::clear);
      createPods(cluster, projector, "lab", pods, 2 * pods);
      Thread.sleep(3_000); // the last writes

      System.out.printf("%nEvent to status, %d pods created at 20/s on 20 nodes after as many to warm up (ledger "
          + "emits every %s, status writes at most %.0f/s):%n", pods, emitInterval, writesPerSecond);
      System.out.println("  status seen by a watch:   " + statuses.summary("status changes"));
      System.out.println("  REST answers it:          " + answers.summary("changes (the list, polled every "
          + ANSWER_POLL.toMillis() + " ms)"));
      System.out.println("  ledger's output readable: " + ledgerOutput.summary("records"));
      System.out.println("  ingest's output readable: " + ingestOutput.summary("records"));
      String setting = String.format(", emit %d ms, %.0f writes/s", emitInterval.toMillis(), writesPerSecond);
      double ingestMedian = ingestOutput.quantile(0.5);
      double ingestP99 = ingestOutput.quantile(0.99);
      return List.of(
          Figure.of("status", "event to status written, median" + setting, statuses.quantile(0.5), "ms")
              .beside("ingest's output", ingestMedian),
          Figure.of("status", "event to status written, p99" + setting, statuses.quantile(0.99), "ms")
              .beside("ingest's output", ingestP99),
          Figure.of("status", "event to REST answer, median" + setting, answers.quantile(0.5), "ms")
              .beside("ingest's output", ingestMedian),
          Figure.of("status", "event to REST answer, p99" + setting, answers.quantile(0.99), "ms")
              .beside("ingest's output", ingestP99),
          Figure.of("status", "event to ledger's output, median" + setting, ledgerOutput.quantile(0.5), "ms")
              .beside("ingest's output", ingestMedian),
          Figure.of("status", "event to ledger's output, p99" + setting, ledgerOutput.quantile(0.99), "ms")
              .beside("ingest's output", ingestP99));
    } finally {
      Collections.reverse(running);
      for (AutoCloseable closeable : running) {
        closeable.close();
      }
    }
  }

  /** Creates {@code pods} pods in {@code namespace}, 20 a second over 20 nodes, and waits until the projector holds {@code total}. */
  private static void createPods(MockCluster cluster, ProjectorService projector, String namespace, int pods, int total)
      throws InterruptedException {
    long start = System.nanoTime();
    for (int p = 0; p < pods; p++) {
      cluster.createPod(namespace, "pod-" + p, "worker-" + (p % 20), "w" + (p % 40),
          Map.of("kubernetes.io/egress-bandwidth", "1M"));
      long due = start + Duration.ofMillis(50L * (p + 1)).toNanos(); // 20 pods a second
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
    }
    await().atMost(Duration.ofMinutes(2)).until(() -> projector.queries().all().stream()
        .mapToInt(n -> n.getReservations().size()).sum() == total);
  }

  /**
   * Reads served by two replicas. Each projector runs under an application id of its own, so Kafka
   * assigns each every partition: each loads every node and answers any read alone, and a Service
   * spreads the reads over both. The same wrk load against one replica (16 connections), then split
   * over both (8 each, at once); then both answer every node with the same bytes.
   */
  private static List<Figure> replicas(TestKafka kafka, MockCluster cluster, int nodes, Path state)
      throws Exception {
    Topics topics = nodesPublished(kafka, "replicas.", nodes);
    System.out.printf("%nTwo replicas serving reads, %,d nodes of 20 reservations each, on 6 partitions:%n", nodes);
    try (KubernetesClient client = cluster.newClient();
         Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
         ProjectorService first = replica(kafka, client, "a", state);
         ProjectorService second = replica(kafka, client, "b", state)) {
      List<String> bases = new ArrayList<>();
      for (ProjectorService replica : List.of(first, second)) {
        long start = System.nanoTime();
        replica.start();
        await().atMost(Duration.ofMinutes(5)).until(() -> replica.health().ready()
            && replica.queries().all().size() == nodes);
        String applicationId = "replicas.projector-" + (bases.isEmpty() ? "a" : "b");
        System.out.printf("  %s: ready with every node %.1f s after its start; partitions of %s held: %s%n",
            applicationId, (System.nanoTime() - start) / 1e9, topics.nodeBandwidth().name(),
            partitionsHeld(admin, applicationId, topics.nodeBandwidth().name()));
        bases.add("http://127.0.0.1:" + replica.listeners().apiPort());
      }
      String path = "/api/v1/nodes/node-42";
      for (String base : bases) {
        wrk(base + path, "warm-up", "16", null);
      }
      Wrk one = wrk(bases.get(0) + path, "one replica, 16 connections");
      Process toFirst = startWrk(bases.get(0) + path, "8", null);
      Process toSecond = startWrk(bases.get(1) + path, "8", null);
      Wrk atFirst = measured(toFirst, "two replicas, 8 connections each: a");
      Wrk atSecond = measured(toSecond, "two replicas, 8 connections each: b");
      List.of(one, atFirst, atSecond).forEach(System.out::println);
      System.out.printf("  answers that differ between the replicas: %d of %,d nodes, and the list: %s%n",
          differingNodes(bases, nodes), nodes,
          Arrays.equals(get(bases.get(0) + "/api/v1/nodes"), get(bases.get(1) + "/api/v1/nodes")) ? "same" : "differs");
      String setting = String.format(", wrk -c16 in all, %,d nodes", nodes);
      return List.of(
          Figure.of("replicas", "GET /api/v1/nodes/{node} requests/s, 2 replicas" + setting,
              atFirst.perSecond() + atSecond.perSecond(), "requests/s").beside("1 replica", one.perSecond()),
          Figure.of("replicas", "GET /api/v1/nodes/{node} p99, 2 replicas" + setting,
              Math.max(atFirst.p99Ms(), atSecond.p99Ms()), "ms").beside("1 replica", one.p99Ms()));
    }
  }

  private static ProjectorService replica(TestKafka kafka, KubernetesClient client, String name, Path state)
      throws IOException {
    return new ProjectorService(TestProjectors.config(kafka, "replicas.", "replicas.projector-" + name,
        state.resolve("replica-" + name), 6, 1_000, SchedulingSettings.DEFAULT), client, Guard.NONE,
        Clock.systemUTC());
  }

  /** The partitions of {@code topic} that the members of an application's group hold, together. */
  private static Set<Integer> partitionsHeld(Admin admin, String applicationId, String topic) throws Exception {
    ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(applicationId)).all().get()
        .get(applicationId);
    Set<Integer> held = new TreeSet<>();
    group.members().forEach(member -> member.assignment().topicPartitions().stream()
        .filter(partition -> partition.topic().equals(topic))
        .forEach(partition -> held.add(partition.partition())));
    return held;
  }

  /** How many nodes the replicas at {@code bases} answer with different bytes. */
  private static long differingNodes(List<String> bases, int nodes) throws Exception {
    long differing = 0;
    for (int n = 0; n < nodes; n++) {
      if (!Arrays.equals(get(bases.get(0) + "/api/v1/nodes/node-" + n), get(bases.get(1) + "/api/v1/nodes/node-" + n))) {
        differing++;
      }
    }
    return differing;
  }

  private static byte[] get(String url) throws Exception {
    HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + answer.statusCode());
    }
    return answer.body();
  }

  private static ProjectorConfig config(TestKafka kafka, String prefix, Path state, double writesPerSecond)
      throws IOException {
    return TestProjectors.config(kafka, prefix, prefix + "projector", state, 6, writesPerSecond,
        SchedulingSettings.DEFAULT);
  }

  /** Topics under {@code prefix} (6 partitions) whose node states are those of {@code nodes} nodes, node-0 onwards. */
  private static Topics nodesPublished(TestKafka kafka, String prefix, int nodes) throws Exception {
    Topics topics = Topics.withPrefix(prefix);
    kafka.createTopics(topics, 6);
    Instant at = Instant.now().minusSeconds(60);
    TestProjectors.publish(kafka, topics, IntStream.range(0, nodes).mapToObj(n -> node("node-" + n, at)).toList());
    return topics;
  }

  private static NodeBandwidth node(String name, Instant at) {
    List<Reservation> reservations = new ArrayList<>();
    for (int r = 0; r < 20; r++) {
      reservations.add(new Reservation("uid-" + name + "-" + r, "lab", "pod-" + r, "10.0.0." + r,
          new Owner("StatefulSet", "swarm", "s-1"), ReservationState.ACTIVE, null, 10L, 10L, false));
    }
    return NodeBandwidth.newBuilder()
        .setNode(name).setSpec(null)
        .setCapacity(new LinkFigures(20_000L, 20_000L, 1_000L, 1_000L))
        .setUsed(new LinkFigures(200L, 200L, 200L, 200L))
        .setRemaining(new LinkFigures(19_800L, 19_800L, 800L, 800L))
        .setReservations(reservations).setOversubscribed(List.of()).setOversubscribedSince(null)
        .setUpdatedAt(at).setLastEventId("e-" + name)
        .build();
  }

  /** What wrk measured: latency median and p99 in milliseconds, requests a second, and the line printed for it. */
  private record Wrk(String line, double medianMs, double p99Ms, double perSecond) {
    @Override
    public String toString() {
      return line;
    }
  }

  private static Wrk wrk(String url, String label) throws IOException, InterruptedException {
    return wrk(url, label, "16", null);
  }

  /** Runs wrk against {@code url} with {@code connections}, POSTing {@code body} when there is one. */
  private static Wrk wrk(String url, String label, String connections, Path body)
      throws IOException, InterruptedException {
    return measured(startWrk(url, connections, body), label);
  }

  private static Process startWrk(String url, String connections, Path body) throws IOException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t" + Math.min(2, Integer.parseInt(connections)),
        "-c" + connections, "-d15s", "--latency"));
    if (body != null) {
      Path script = Files.writeString(Files.createTempFile("wrk-post", ".lua"), """
          wrk.method = "POST"
          wrk.headers["Content-Type"] = "application/json"
          local file = io.open("%s", "r")
          wrk.body = file:read("*a")
          file:close()
          """.formatted(body.toAbsolutePath()));
      command.addAll(List.of("-s", script.toString()));
    }
    command.add(url);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** What a wrk process printed, once it ends. */
  private static Wrk measured(Process wrk, String label) throws IOException, InterruptedException {
    String out = new String(wrk.getInputStream().readAllBytes());
    wrk.waitFor();
    String median = find(out, "\\s+50%\\s+(\\S+)");
    String p99 = find(out, "\\s+99%\\s+(\\S+)");
    String perSecond = find(out, "Requests/sec:\\s+(\\S+)");
    return new Wrk(String.format("  %-36s median %8s  p99 %8s  %s requests/s%s", label, median, p99, perSecond,
        out.contains("Non-2xx") ? "  (" + find(out, "(Non-2xx or 3xx responses: \\d+)") + ")" : ""),
        millis(median), millis(p99), perSecond.equals("?") ? Double.NaN : Double.parseDouble(perSecond));
  }

  /** A wrk latency (850.00us, 1.23ms, 1.02s) in milliseconds; NaN when wrk printed none. */
  private static double millis(String latency) {
    Matcher amount = Pattern.compile("([0-9.]+)(us|ms|s|m)").matcher(latency);
    if (!amount.matches()) {
      return Double.NaN;
    }
    double value = Double.parseDouble(amount.group(1));
    return switch (amount.group(2)) {
      case "us" -> value / 1_000;
      case "ms" -> value;
      case "s" -> value * 1_000;
      default -> value * 60_000;
    };
  }

  private static String find(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    return matcher.find() ? matcher.group(1) : "?";
  }

  /** Lags from an event to where it was seen, in milliseconds, in the order seen. */
  private static final class Lags {
    private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());

    void add(Instant event) {
      millis.add(System.currentTimeMillis() - event.toEpochMilli());
    }

    void clear() {
      millis.clear();
    }

    String summary(String what) {
      return String.format("median %5.0f ms, p99 %5.0f ms, over %d %s", quantile(0.5), quantile(0.99), millis.size(),
          what);
    }

    /** The lag below which {@code q} of those seen were, in milliseconds; NaN before any. */
    double quantile(double q) {
      List<Long> sorted;
      synchronized (millis) {
        sorted = millis.stream().sorted().toList();
      }
      return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * q) - 1));
    }
  }

  /**
   * Reads {@code topic} as its readers do (read committed) and adds each record's lag after the time
   * it carries: for the ledger's output, the ledger's part of the status latency.
   */
  private static <V> AutoCloseable readLags(TestKafka kafka, Topic<String, V> topic, Function<V, Instant> time,
      Lags lags) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-output-lag-" + topic.name());
    KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props,
        topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    consumer.subscribe(List.of(topic.name()));
    AtomicBoolean done = new AtomicBoolean();
    Thread reading = new Thread(() -> {
      try (consumer) {
        while (!done.get()) {
          for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(20))) {
            if (record.value() != null) {
              lags.add(time.apply(record.value()));
            }
          }
        }
      }
    }, "output-lag");
    reading.start();
    return () -> {
      done.set(true);
      reading.join();
    };
  }

  /**
   * Asks the projector's REST API for every node every {@link #ANSWER_POLL} and adds the lag of each
   * node's answer after the time its state is dated, the first time the answer carries that time.
   */
  private static AutoCloseable pollAnswerLags(String base, Lags lags) {
    HttpRequest list = HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes")).build();
    Map<String, String> seen = new HashMap<>();
    AtomicBoolean done = new AtomicBoolean();
    Thread polling = new Thread(() -> {
      while (!done.get()) {
        try {
          HttpResponse<byte[]> answer = HTTP.send(list, HttpResponse.BodyHandlers.ofByteArray());
          if (answer.statusCode() == 200) {
            for (JsonNode item : JSON.readTree(answer.body()).path("items")) {
              String updatedAt = item.path("updatedAt").asText();
              if (!updatedAt.equals(seen.put(item.path("name").asText(), updatedAt))) {
                lags.add(Instant.parse(updatedAt));
              }
            }
          }
          Thread.sleep(ANSWER_POLL.toMillis());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "answer-lag");
    polling.start();
    return () -> {
      done.set(true);
      polling.join();
    };
  }

  /** Watches the Bandwidth objects and adds each status change's lag after the time its state is dated. */
  private static AutoCloseable watchStatusLags(KubernetesClient client, Lags lags) {
    return client.genericKubernetesResources(BandwidthObjects.API_VERSION, BandwidthObjects.KIND)
        .watch(new Watcher<GenericKubernetesResource>() {
          private final Map<String, Object> seen = new ConcurrentHashMap<>();

          @Override
          public void eventReceived(Action action, GenericKubernetesResource bandwidth) {
            if (bandwidth.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("updatedAt") instanceof String updatedAt
                && !updatedAt.equals(seen.put(bandwidth.getMetadata().getName(), updatedAt))) {
              lags.add(Instant.parse(updatedAt));
            }
          }

          @Override
          public void onClose(WatcherException cause) {
          }
        });
  }
}
