package org.bwledger.bwctl.run;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bwledger.bwctl.options.LedgerRulesOptions;
import org.bwledger.bwctl.output.BandwidthTable;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.ledger.rules.AnnotationKey;
import org.bwledger.projector.app.ProjectorConfig;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.app.SchedulingSettings;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl run}: the whole system on one machine. An in-JVM Kafka broker and a simulated cluster
 * by default, or a real cluster and a real Kafka; ingest, the ledger and the projector against
 * them; and a live table of the nodes until Ctrl-C.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Runs bwledger locally: Kafka in this JVM and a simulated cluster (unless told otherwise), "
        + "ingest, the ledger and the projector, printing the nodes as they change until Ctrl-C. State is kept "
        + "in --state-dir for the next run.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  private static final String PREFIX = Topics.DEFAULT_PREFIX;
  private static final int PARTITIONS = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:BW_STATE_DIR:-bwledger-state}",
      description = "Where Kafka's log and the stores live, reused by the next run (env BW_STATE_DIR, "
          + "default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--fresh", description = "Start over: delete --state-dir first.")
  boolean fresh;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = "${env:BW_BOOTSTRAP_SERVERS}",
      description = "Use this Kafka instead of one in this JVM (env BW_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Watch the cluster of this kubeconfig "
      + "instead of a simulated one.")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Watch this kubeconfig context's cluster "
      + "instead of a simulated one.")
  String context;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "6",
      description = "Nodes of the simulated cluster (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the simulated workload: the same seed, the same workload (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tick", paramLabel = "DURATION", defaultValue = "PT0.5S",
      description = "How often the simulated workload changes something (default: ${DEFAULT-VALUE}).")
  Duration tick;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT:-8080}",
      description = "Port of the projector's REST API; 0 picks a free one (env BW_HTTP_PORT, "
          + "default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--table-interval", paramLabel = "DURATION", defaultValue = "PT2S",
      description = "How often the node table is printed when it changed (default: ${DEFAULT-VALUE}).")
  Duration tableInterval;

  @Mixin
  LedgerRulesOptions rules;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (fresh) {
      deleteRecursively(stateDir);
    }
    Files.createDirectories(stateDir);
    List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopAll(running);
      stopped.countDown();
    }, "bwctl-run-shutdown"));

    String kafka = bootstrapServers;
    if (kafka == null || kafka.isBlank()) {
      LocalKafka local = LocalKafka.start(stateDir.resolve("kafka"));
      running.add(local);
      kafka = local.bootstrapServers();
    }
    Cluster cluster = cluster(running);

    IngestService ingest = new IngestService(new IngestConfig(kafka, PREFIX, Map.of(),
        rules.rules().annotationKeys().all().map(AnnotationKey::name).collect(Collectors.toSet()), List.of(),
        PARTITIONS, 100_000, "127.0.0.1", 0), cluster.ingest(), Clock.systemUTC());
    running.add(ingest);
    ingest.start();
    LedgerService ledger = new LedgerService(new LedgerConfig(kafka, PREFIX, "bwledger-ledger",
        stateDir.resolve("ledger"), rules.rules(), LedgerConfig.DEFAULT_EMIT_INTERVAL, PARTITIONS, Map.of()));
    running.add(ledger);
    ledger.start();
    ProjectorService projector = new ProjectorService(new ProjectorConfig(kafka, PREFIX, "bwledger-projector-local",
        stateDir.resolve("projector"), PARTITIONS, Duration.ofDays(7), 20, "default", "127.0.0.1", httpPort,
        SchedulingSettings.DEFAULT, Map.of()),
        cluster.projector(), Clock.systemUTC());
    running.add(projector);
    projector.start();

    out.printf("bwledger is running (Ctrl-C to stop)%n");
    out.printf("  REST API    http://127.0.0.1:%d/api/v1/nodes   (OpenAPI: /openapi.yaml)%n", projector.port());
    out.printf("  Kafka       %s%n", kafka);
    out.printf("  Kubernetes  %s%n", cluster.description());
    out.printf("  state       %s%n", stateDir.toAbsolutePath());
    out.flush();
    printTableUntilStopped(out, projector.queries(), projector, stopped);
    return 0;
  }

  /** The Kubernetes API to watch and write to, and a client for each component. */
  private record Cluster(KubernetesClient ingest, KubernetesClient projector, String description) {}

  private Cluster cluster(List<AutoCloseable> running) throws Exception {
    if (kubeconfig != null || context != null) {
      if (kubeconfig != null) {
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toAbsolutePath().toString());
      }
      KubernetesClient ingest = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
      KubernetesClient projector = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
      running.add(ingest);
      running.add(projector);
      return new Cluster(ingest, projector, ingest.getMasterUrl().toString());
    }
    SimulatedCluster simulated = SimulatedCluster.start(nodes, seed, tick);
    running.add(simulated);
    Path simulatedKubeconfig = stateDir.resolve("simulated.kubeconfig");
    simulated.writeKubeconfig(simulatedKubeconfig);
    KubernetesClient ingest = simulated.newClient();
    KubernetesClient projector = simulated.newClient();
    running.add(ingest);
    running.add(projector);
    return new Cluster(ingest, projector, "simulated, " + nodes + " nodes, at " + simulated.url() + " (kubeconfig: "
        + simulatedKubeconfig + ")");
  }

  /** Prints the node table whenever it changed, as {@code kubectl get bw -w} would. */
  private void printTableUntilStopped(PrintWriter out, NodeQueries queries, ProjectorService projector,
      CountDownLatch stopped) throws InterruptedException {
    String last = "";
    while (!stopped.await(tableInterval.toMillis(), TimeUnit.MILLISECONDS)) {
      if (!projector.health().ready()) {
        continue;
      }
      try {
        List<NodeBandwidth> nodes = queries.all();
        String table = BandwidthTable.render(nodes);
        if (!nodes.isEmpty() && !table.equals(last)) {
          out.printf("%n%s%n%s", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), table);
          out.flush();
          last = table;
        }
      } catch (NodeQueries.NotReadyException e) {
        log.debug("Table skipped: {}", e.getMessage());
      }
    }
  }

  private static void stopAll(List<AutoCloseable> running) {
    List<AutoCloseable> reversed = new ArrayList<>(running);
    Collections.reverse(reversed);
    for (AutoCloseable closeable : reversed) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
      }
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
