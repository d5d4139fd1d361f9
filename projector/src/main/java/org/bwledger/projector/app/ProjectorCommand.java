package org.bwledger.projector.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bwledger.ledger.app.AnnotationKeyOptions;
import org.bwledger.projector.extender.Scoring;
import org.bwledger.projector.nodes.NodeMarking;
import org.bwledger.schemas.topic.KafkaOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bwctl projector} (and this module's main): keeps Bandwidth status equal to the ledger's node
 * states and serves the REST API. The Kubernetes API is found as kubectl finds it.
 */
@Command(
    name = "projector",
    mixinStandardHelpOptions = true,
    description = "Runs the projector: materializes the node-bandwidth topic, writes each node's state to its "
        + "Bandwidth object's status and serves the REST API and the scheduler extender, until interrupted. Every flag can also be set with "
        + "the environment variable it names.")
public final class ProjectorCommand implements Callable<Integer> {

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:BW_INSTANCE_ID}",
      description = "This instance's stable name, part of its Kafka Streams application id: each instance reads "
          + "every partition, so each needs its own (env BW_INSTANCE_ID; default: the host name, which a "
          + "StatefulSet keeps stable).")
  String instanceId;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:BW_STATE_DIR:-bwledger-state/projector}",
      description = "Where the projector keeps its stores (env BW_STATE_DIR, default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--history-retention", paramLabel = "DURATION", defaultValue = "${env:BW_HISTORY_RETENTION:-P7D}",
      description = "How far back ?at= and history reach, as an ISO-8601 duration (env BW_HISTORY_RETENTION, "
          + "default: ${DEFAULT-VALUE}).")
  Duration historyRetention;

  @Option(names = "--status-writes-per-second", paramLabel = "N",
      defaultValue = "${env:BW_STATUS_WRITES_PER_SECOND:-20}",
      description = "Bandwidth status writes to the API per second, at most (env BW_STATUS_WRITES_PER_SECOND, "
          + "default: ${DEFAULT-VALUE}).")
  double statusWritesPerSecond;

  @Option(names = "--lease-namespace", paramLabel = "NS", defaultValue = "${env:BW_LEASE_NAMESPACE:-default}",
      description = "Namespace of the Lease by which replicas elect the one that writes Bandwidth status "
          + "(env BW_LEASE_NAMESPACE, default: ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Mixin
  AnnotationKeyOptions annotations;

  @Option(names = "--extender-scoring", paramLabel = "POLICY",
      defaultValue = "${env:BW_EXTENDER_SCORING:-SIBLINGS_THEN_REMAINING}",
      description = "How the scheduler extender's prioritize ranks nodes: ${COMPLETION-CANDIDATES} "
          + "(env BW_EXTENDER_SCORING, default: ${DEFAULT-VALUE}).")
  Scoring scoring;

  @Option(names = "--assume-timeout", paramLabel = "DURATION", defaultValue = "${env:BW_ASSUME_TIMEOUT:-PT30S}",
      description = "How long the extender holds a bound pod's bandwidth, and the ledger counts it, before ingest "
          + "sees the pod on its node, as an ISO-8601 duration (env BW_ASSUME_TIMEOUT, default: ${DEFAULT-VALUE}).")
  Duration assumeTimeout;

  @Option(names = "--label-nodes", defaultValue = "${env:BW_LABEL_NODES:-false}", fallbackValue = "true",
      arity = "0..1",
      description = "Label nodes " + NodeMarking.KEY + "=true|false by whether their remaining network bandwidth "
          + "reaches --fit-threshold-mbps (env BW_LABEL_NODES, default: ${DEFAULT-VALUE}).")
  boolean labelNodes;

  @Option(names = "--taint-nodes", defaultValue = "${env:BW_TAINT_NODES:-false}", fallbackValue = "true",
      arity = "0..1",
      description = "Taint nodes below --fit-threshold-mbps " + NodeMarking.KEY + "=false:NoSchedule, so the default "
          + "scheduler avoids them without the extender (env BW_TAINT_NODES, default: ${DEFAULT-VALUE}).")
  boolean taintNodes;

  @Option(names = "--fit-threshold-mbps", paramLabel = "MBPS", defaultValue = "${env:BW_FIT_THRESHOLD_MBPS:-1}",
      description = "Remaining network bandwidth, each way, below which a node no longer fits "
          + "(env BW_FIT_THRESHOLD_MBPS, default: ${DEFAULT-VALUE}).")
  long fitThresholdMbps;

  @Option(names = "--context", paramLabel = "NAME", defaultValue = "${env:BW_KUBE_CONTEXT}",
      description = "The kubeconfig context to use (env BW_KUBE_CONTEXT, default: the current one).")
  String context;

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:BW_HTTP_HOST:-0.0.0.0}",
      description = "Address of the REST API, probes and metrics (env BW_HTTP_HOST, default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT:-8080}",
      description = "Port of the REST API, probes and metrics (env BW_HTTP_PORT, default: ${DEFAULT-VALUE}).")
  int httpPort;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProjectorCommand()).execute(args));
  }

  /** The typed configuration these flags and variables give. */
  public ProjectorConfig config() {
    String instance = instanceId == null || instanceId.isBlank() ? hostName() : instanceId;
    return new ProjectorConfig(kafka.bootstrapServers(), kafka.topicPrefix(), "bwledger-projector-" + instance,
        stateDir, kafka.partitions(), historyRetention, statusWritesPerSecond, leaseNamespace, httpHost, httpPort,
        new SchedulingSettings(annotations.annotationKeys(), scoring, assumeTimeout,
            new NodeMarking(labelNodes, taintNodes, fitThresholdMbps)), kafka.properties());
  }

  /** Runs until SIGTERM or Ctrl-C; the projector is closed cleanly inside the shutdown hook. */
  @Override
  public Integer call() throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
    ProjectorService projector = new ProjectorService(config(), client, Clock.systemUTC());
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      projector.close();
      client.close();
      closed.countDown();
    }, "bwctl-projector-shutdown"));
    projector.start();
    closed.await();
    return 0;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "local";
    }
  }
}
