package org.bwledger.pipeline.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.ingest.traffic.TrafficSettings;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.pipeline.Pipeline;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.state.Traffic;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic sources against real programs (Debian's {@code prometheus-node-exporter} and
 * {@code prometheus}, which {@code bin/test} installs) on 127.0.0.1, sampled by ingest into a real
 * broker and folded by the ledger: the published rate is the counters' change over the two samples'
 * time, and every sample holds what the program served.
 */
@WithKafka
class TrafficSourcesTest {

  private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Pattern BYTES = Pattern.compile(
      "(?m)^node_network_(transmit|receive)_bytes_total\\{device=\"([^\"]+)\"} (\\S+)$");

  @TempDir
  Path dir;

  @Test
  void theLedgerPublishesTheRateOfTheCountersIngestSampled(TestKafka kafka) throws Exception {
    int port = freePort();
    Process exporter = nodeExporter(port);
    String prefix = "traffic.";
    Topics topics = Topics.withPrefix(prefix);
    AtomicReference<Traffic> published = new AtomicReference<>();
    AtomicReference<Instant> afterAsked = new AtomicReference<>();
    AtomicReference<Map<String, long[]>> after = new AtomicReference<>();
    URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    try (MockCluster cluster = new MockCluster()) {
      await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> !scrape(metrics).isEmpty());
      Map<String, long[]> before = scrape(metrics);
      cluster.createNode("n1", Map.of());
      cluster.client().pods().inNamespace("monitoring").resource(new PodBuilder()
          .withNewMetadata().withName("node-exporter-n1").withLabels(Map.of("app", "node-exporter")).endMetadata()
          .withNewSpec().withNodeName("n1").endSpec()
          .withNewStatus().withPhase("Running").withPodIP("127.0.0.1").endStatus().build()).create();

      whileMeasured(kafka, prefix, cluster, new TrafficSettings.NodeExporters("app=node-exporter", "monitoring", port),
          () -> {
            published.set(published(kafka, topics));
            afterAsked.set(Instant.now());
            after.set(scrape(metrics));
            exporter.destroy(); // the source goes silent: unknown, not 0
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                published(kafka, topics).getMeasured()).isNull());
          });

      List<TrafficSampled> samples = samples(kafka, topics);
      assertThat(samples.get(samples.size() - 1).getInterfaces()).as("the source's last word: unreadable").isEmpty();
      samples.removeIf(sample -> sample.getInterfaces().isEmpty());
      List<TrafficSampled> bracketed = samples.stream() // read before the test's last scrape began
          .filter(sample -> sample.getSampledAt().isBefore(afterAsked.get())).toList();
      assertThat(bracketed).hasSizeGreaterThanOrEqualTo(2).allSatisfy(sample -> {
        assertThat(sample.getNode()).isEqualTo("n1");
        assertThat(sample.getSource()).isEqualTo("node-exporter " + metrics);
        assertThat(sample.getInterfaces()).extracting(InterfaceCounters::getName)
            .containsExactlyElementsOf(before.keySet());
        for (InterfaceCounters counters : sample.getInterfaces()) {
          assertThat(counters.getTransmitBytes()).as("%s transmitted", counters.getName())
              .isBetween(before.get(counters.getName())[0], after.get().get(counters.getName())[0]);
          assertThat(counters.getReceiveBytes()).as("%s received", counters.getName())
              .isBetween(before.get(counters.getName())[1], after.get().get(counters.getName())[1]);
        }
      });
      assertRateOfTheLastTwoSamples(samples, published.get());
    } finally {
      exporter.destroy();
    }
  }

  /**
   * Prometheus scraping that node-exporter every second, asked by ingest: each sample is one of
   * Prometheus's scrapes, with its time and values, and the published rate is made from two of them.
   */
  @Test
  void theLedgerPublishesTheRateOfThePrometheusScrapesIngestSampled(TestKafka kafka) throws Exception {
    assertThat(PROMETHEUS).as("Prometheus, which bin/test installs (apt-get install prometheus)").isExecutable();
    int exporterPort = freePort();
    int prometheusPort = freePort();
    Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
        "global: {scrape_interval: 1s}",
        "scrape_configs:",
        "  - job_name: node",
        "    static_configs:",
        "      - targets: ['127.0.0.1:" + exporterPort + "']",
        "        labels: {node: n1}", ""));
    List<Process> running = new ArrayList<>();
    running.add(nodeExporter(exporterPort));
    running.add(new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start());
    String prefix = "prometheus.";
    Topics topics = Topics.withPrefix(prefix);
    URI prometheus = URI.create("http://127.0.0.1:" + prometheusPort);
    AtomicReference<Traffic> published = new AtomicReference<>();
    try (MockCluster cluster = new MockCluster()) {
      cluster.createNode("n1", Map.of());
      whileMeasured(kafka, prefix, cluster, new TrafficSettings.Prometheus(prometheus, "node"),
          () -> published.set(published(kafka, topics)));

      List<TrafficSampled> samples = samples(kafka, topics);
      Map<String, Map<Long, Long>> stored = stored(prometheus, "transmit");
      assertThat(samples).hasSizeGreaterThanOrEqualTo(2).allSatisfy(sample -> {
        assertThat(sample.getSource()).isEqualTo("prometheus " + prometheus);
        for (InterfaceCounters counters : sample.getInterfaces()) {
          assertThat(stored.get(counters.getName())).as("Prometheus holds %s at %s", counters.getName(),
              sample.getSampledAt()).containsEntry(sample.getSampledAt().toEpochMilli(), counters.getTransmitBytes());
        }
      });
      assertThat(samples).extracting(TrafficSampled::getSampledAt).as("each scrape taken once").doesNotHaveDuplicates();
      assertRateOfTheLastTwoSamples(samples, published.get());
    } finally {
      running.forEach(Process::destroy);
    }
  }

  /** Something done while the pipeline runs. */
  @FunctionalInterface
  private interface WhileRunning {
    void run() throws Exception;
  }

  /** Ingest sampling {@code source} every 500 ms and the ledger; {@code then} runs once n1's traffic is measured. */
  private void whileMeasured(TestKafka kafka, String prefix, MockCluster cluster, TrafficSettings.Source source,
      WhileRunning then) throws Exception {
    TrafficSettings traffic = new TrafficSettings(source, Duration.ofMillis(500), Pattern.compile(".+"));
    Topics topics = Topics.withPrefix(prefix);
    try (IngestService ingest = new IngestService(Pipeline.ingestConfig(kafka, prefix, 2).withTraffic(traffic),
             cluster.newClient(), Guard.NONE, Clock.systemUTC());
         LedgerService ledger = new LedgerService(Pipeline.ledgerConfig(kafka, prefix, dir.resolve(prefix + "ledger"), 2),
             Guard.NONE)) {
      ingest.start();
      ledger.start();
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        NodeBandwidth n1 = kafka.latest(topics.nodeBandwidth()).get("n1");
        return n1 != null && n1.getTraffic() != null && n1.getTraffic().getMeasured() != null;
      });
      then.run();
    }
  }

  private static Traffic published(TestKafka kafka, Topics topics) {
    return kafka.latest(topics.nodeBandwidth()).get("n1").getTraffic();
  }

  /** Every traffic sample of the log, oldest first. */
  private static List<TrafficSampled> samples(TestKafka kafka, Topics topics) {
    List<TrafficSampled> samples = new ArrayList<>();
    kafka.readAll(topics.clusterEvents(), record -> {
      if (record.value().getPayload() instanceof TrafficSampled sample) {
        samples.add(sample);
      }
    });
    samples.sort(Comparator.comparing(TrafficSampled::getSampledAt));
    return samples;
  }

  /** The published rate is the counters' change between the sample it ends at and the one before, over their time. */
  private static void assertRateOfTheLastTwoSamples(List<TrafficSampled> samples, Traffic published) {
    int last = -1;
    for (int i = 0; i < samples.size(); i++) {
      last = samples.get(i).getSampledAt().equals(published.getMeasuredAt()) ? i : last;
    }
    assertThat(last).as("the published rate ends at a sample in the log").isPositive();
    TrafficSampled from = samples.get(last - 1);
    TrafficSampled to = samples.get(last);
    long millis = Duration.between(from.getSampledAt(), to.getSampledAt()).toMillis();
    assertThat(published.getIntervalMillis()).isEqualTo(millis);
    assertThat(published.getMeasured().getUl()).isCloseTo(delta(from, to, 0) * 8 / (millis / 1000.0) / 1e6,
        within(1e-9));
    assertThat(published.getMeasured().getDl()).isCloseTo(delta(from, to, 1) * 8 / (millis / 1000.0) / 1e6,
        within(1e-9));
  }

  private Process nodeExporter(int port) throws IOException {
    assertThat(NODE_EXPORTER).as("node-exporter, which bin/test installs (apt-get install prometheus-node-exporter)")
        .isExecutable();
    return new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port,
        "--collector.disable-defaults", "--collector.netdev").redirectErrorStream(true)
        .redirectOutput(dir.resolve("node-exporter-" + port + ".log").toFile()).start();
  }

  /** The raw samples Prometheus stored of one counter, by device: epoch milliseconds to bytes. */
  private static Map<String, Map<Long, Long>> stored(URI prometheus, String direction) throws Exception {
    String query = URLEncoder.encode("node_network_" + direction + "_bytes_total[10m]", StandardCharsets.UTF_8);
    JsonNode result = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(prometheus + "/api/v1/query?query=" + query)).build(), HttpResponse.BodyHandlers.ofString()).body())
        .path("data").path("result");
    Map<String, Map<Long, Long>> stored = new TreeMap<>();
    for (JsonNode series : result) {
      Map<Long, Long> values = stored.computeIfAbsent(series.at("/metric/device").asText(), d -> new TreeMap<>());
      series.path("values").forEach(value -> values.put(Math.round(value.get(0).asDouble() * 1000),
          (long) Double.parseDouble(value.get(1).asText())));
    }
    return stored;
  }

  /** Bytes transmitted (0) or received (1) between two samples, over the interfaces of both. */
  private static long delta(TrafficSampled from, TrafficSampled to, int direction) {
    Map<String, InterfaceCounters> before = new TreeMap<>();
    from.getInterfaces().forEach(c -> before.put(c.getName(), c));
    long bytes = 0;
    for (InterfaceCounters now : to.getInterfaces()) {
      InterfaceCounters then = before.get(now.getName());
      bytes += direction == 0 ? now.getTransmitBytes() - then.getTransmitBytes()
          : now.getReceiveBytes() - then.getReceiveBytes();
    }
    return bytes;
  }

  /** The byte counters node-exporter serves now, by device: transmitted, received. */
  private static Map<String, long[]> scrape(URI metrics) throws IOException, InterruptedException {
    String exposition = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Map<String, long[]> devices = new TreeMap<>();
    Matcher m = BYTES.matcher(exposition);
    while (m.find()) {
      devices.computeIfAbsent(m.group(2), d -> new long[2])[m.group(1).equals("transmit") ? 0 : 1] =
          (long) Double.parseDouble(m.group(3));
    }
    return devices;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
