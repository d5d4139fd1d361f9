package org.bwledger.lab.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bwledger.bwctl.output.BandwidthTable;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.ingest.app.IngestService;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerRulesOptions;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.projector.app.ProjectorConfig;
import org.bwledger.projector.app.ProjectorService;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.options.ConfigDefaults;
import org.bwledger.runtime.options.KubernetesOptions;
import org.bwledger.runtime.options.StateDirOptions;
import org.bwledger.runtime.process.ProcessLifecycle;
import org.bwledger.schemas.state.NodeBandwidth;
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
 * them, each with its own defaults but for where state lives and what listens (127.0.0.1 only, as
 * nobody's credentials are checked); and a live table of the nodes until Ctrl-C.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    defaultValueProvider = RunCommand.Defaults.class,
    description = "Runs bwledger locally: Kafka in this JVM and a simulated cluster (unless told otherwise), "
        + "ingest, the ledger and the projector, printing the nodes as they change until Ctrl-C. State is kept "
        + "in --state-dir for the next run.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  /** Enough partitions to show the fold spread over them, few enough for a laptop. */
  private static final int PARTITIONS = 3;

  /** Every service's defaults, but state in one directory and the projector's API on 8080 here only. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(StateDirOptions.defaults(Path.of("bwledger-state")),
          LedgerRulesOptions.defaults(LedgerRules.DEFAULT),
          Map.of("--http-port", String.valueOf(ProjectorConfig.defaults().serving().api().port()),
              "--extender-port", "8443", "--nodes", "6", "--seed", "1", "--tick", "PT0.5S", "--table-interval", "PT2S",
              "--traffic-interval", "PT10S"));
    }
  }

  @Spec
  CommandSpec spec;

  @Mixin
  StateDirOptions state;

  @Option(names = "--fresh", description = "Start over: delete --state-dir first.")
  boolean fresh;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]", defaultValue = "${env:BW_BOOTSTRAP_SERVERS}",
      description = "Use this Kafka instead of one in this JVM (env BW_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Mixin
  KubernetesOptions kubernetes;

  @Option(names = "--nodes", paramLabel = "N",
      description = "Nodes of the simulated cluster (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the simulated workload: the same seed, the same workload (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--tick", paramLabel = "DURATION",
      description = "How often the simulated workload changes something; PT0S for none, leaving the cluster to "
          + "you and kubectl (default: ${DEFAULT-VALUE}).")
  Duration tick;

  @Option(names = "--traffic-interval", paramLabel = "DURATION",
      description = "How often the simulated nodes' traffic is sampled, ISO-8601; PT0S for none (default: "
          + "${DEFAULT-VALUE}). Each node carries a rate of its own, drawn from --seed.")
  Duration trafficInterval;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT}",
      description = "Port of the projector's REST API, on 127.0.0.1; 0 picks a free one (env BW_HTTP_PORT, "
          + "default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--extender-port", paramLabel = "PORT", defaultValue = "${env:BW_EXTENDER_PORT}",
      description = "Port of the scheduler extender, on 127.0.0.1; 0 picks a free one (env BW_EXTENDER_PORT, "
          + "default: ${DEFAULT-VALUE}).")
  int extenderPort;

  @Option(names = "--table-interval", paramLabel = "DURATION",
      description = "How often the node table is printed when it changed (default: ${DEFAULT-VALUE}).")
  Duration tableInterval;

  @Mixin
  LedgerRulesOptions rules;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path stateDir = state.stateDir();
    if (fresh) {
      deleteRecursively(stateDir);
    }
    Files.createDirectories(stateDir);
    try (ProcessLifecycle process = new ProcessLifecycle("run")) {
      String kafka = bootstrapServers;
      if (kafka == null || kafka.isBlank()) {
        kafka = process.closeLater(LocalKafka.start(stateDir.resolve("kafka"))).bootstrapServers();
      }
      KafkaSettings shared = KafkaSettings.defaults().withBootstrapServers(kafka).withPartitions(PARTITIONS);
      Cluster cluster = cluster(process, stateDir);

      LedgerRules ledgerRules = rules.rules();
      process.closeLater(new IngestService(IngestConfig.defaults()
          .withKafka(shared)
          .withAnnotationKeys(ledgerRules.annotationKeys())
          .withServing(ServingSettings.loopback()), cluster.ingest(), Guard.NONE, Clock.systemUTC())).start();
      process.closeLater(new LedgerService(LedgerConfig.defaults()
          .withKafka(shared)
          .withInstanceId("local")
          .withStateDir(stateDir.resolve("ledger"))
          .withRules(ledgerRules)
          .withServing(ServingSettings.loopback()), Guard.NONE)).start();
      ProjectorService projector = process.closeLater(new ProjectorService(ProjectorConfig.defaults()
          .withKafka(shared)
          .withStateDir(stateDir.resolve("projector"))
          .withServing(ServingSettings.loopback().withApi(new HttpSettings("127.0.0.1", httpPort)))
          .withExtender(new HttpSettings("127.0.0.1", extenderPort)), cluster.projector(), Guard.NONE,
          Clock.systemUTC()));
      projector.start();
      if (!cluster.simulatedNodes().isEmpty() && !trafficInterval.isZero()) {
        process.closeLater(new SimulatedTraffic(cluster.simulatedNodes(), seed, trafficInterval))
            .start(shared, Clock.systemUTC());
      }

      out.printf("bwledger is running (Ctrl-C to stop)%n");
      out.printf("  REST API    http://127.0.0.1:%d/api/v1/nodes   (OpenAPI: /openapi.yaml)%n",
          projector.listeners().apiPort());
      out.printf("  extender    http://127.0.0.1:%d/scheduler   (filter, prioritize, bind)%n", projector.extenderPort());
      out.printf("  Kafka       %s%n", kafka);
      out.printf("  Kubernetes  %s%n", cluster.description());
      if (cluster.kubeconfig() != null) {
        out.printf("  kubectl     KUBECONFIG=%s kubectl get bandwidths%n", cluster.kubeconfig());
      }
      out.printf("  state       %s%n", stateDir.toAbsolutePath());
      out.flush();
      TablePrinter table = process.closeLater(new TablePrinter(out, projector, tableInterval));
      table.start();
      return process.awaitExit();
    }
  }

  /**
   * The Kubernetes API to watch and write to, and a client for each component.
   *
   * @param kubeconfig where the simulated API's kubeconfig is written, or null for a real cluster
   */
  private record Cluster(KubernetesClient ingest, KubernetesClient projector, String description, Path kubeconfig,
      List<String> simulatedNodes) {}

  private Cluster cluster(ProcessLifecycle process, Path stateDir) throws Exception {
    if (kubernetes.given()) {
      KubernetesClient ingest = process.closeLater(kubernetes.client());
      KubernetesClient projector = process.closeLater(kubernetes.client());
      return new Cluster(ingest, projector, ingest.getMasterUrl().toString(), null, List.of());
    }
    SimulatedCluster simulated = process.closeLater(SimulatedCluster.start(nodes, seed, tick));
    Path simulatedKubeconfig = stateDir.resolve("simulated.kubeconfig");
    simulated.writeKubeconfig(simulatedKubeconfig);
    KubernetesClient ingest = process.closeLater(simulated.newClient());
    KubernetesClient projector = process.closeLater(simulated.newClient());
    return new Cluster(ingest, projector, "simulated, " + nodes + " nodes, at " + simulated.url(), simulatedKubeconfig,
        simulated.nodeNames());
  }

  /** Prints the node table whenever it changed, as {@code kubectl get bw -w} would. */
  private static final class TablePrinter implements AutoCloseable {
    private final PrintWriter out;
    private final ProjectorService projector;
    private final Duration interval;
    private final ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "bwctl-run-table");
      thread.setDaemon(true);
      return thread;
    });
    private String last = "";

    TablePrinter(PrintWriter out, ProjectorService projector, Duration interval) {
      this.out = out;
      this.projector = projector;
      this.interval = interval;
    }

    void start() {
      printer.scheduleWithFixedDelay(this::printIfChanged, interval.toMillis(), interval.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    private void printIfChanged() {
      if (!projector.health().ready()) {
        return;
      }
      try {
        List<NodeBandwidth> nodes = projector.queries().all();
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

    @Override
    public void close() {
      printer.shutdownNow();
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
