package org.bwledger.projector.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bwledger.projector.extender.Scoring;
import org.bwledger.projector.nodes.NodeMarking;
import org.bwledger.runtime.auth.AuthSettings;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.options.AnnotationKeyOptions;
import org.bwledger.runtime.options.AuthOptions;
import org.bwledger.runtime.options.ConfigDefaults;
import org.bwledger.runtime.options.HttpOptions;
import org.bwledger.runtime.options.KafkaOptions;
import org.bwledger.runtime.options.KubernetesOptions;
import org.bwledger.runtime.options.StateDirOptions;
import org.bwledger.runtime.process.ProcessLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bwctl projector}: keeps Bandwidth status equal to the ledger's node
 * states and serves the REST API and the scheduler extender.
 */
@Command(
    name = "projector",
    mixinStandardHelpOptions = true,
    defaultValueProvider = ProjectorCommand.Defaults.class,
    description = "Runs the projector: materializes the node-bandwidth topic, writes each node's state to its "
        + "Bandwidth object's status and serves the REST API and the scheduler extender, until interrupted. Every flag can also be set with "
        + "the environment variable it names.")
public final class ProjectorCommand implements Callable<Integer> {

  /** The defaults of {@link ProjectorConfig#defaults()}. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(KafkaOptions.defaults(ProjectorConfig.defaults().kafka()),
          HttpOptions.defaults(ProjectorConfig.defaults().serving()),
          AuthOptions.defaults(AuthSettings.defaults()),
          StateDirOptions.defaults(ProjectorConfig.defaults().stateDir()),
          AnnotationKeyOptions.defaults(ProjectorConfig.defaults().scheduling().annotationKeys()),
          ownDefaults(ProjectorConfig.defaults()));
    }

    private static Map<String, String> ownDefaults(ProjectorConfig defaults) {
      SchedulingSettings scheduling = defaults.scheduling();
      Map<String, String> options = new HashMap<>();
      options.put("--history-retention", defaults.historyRetention().toString());
      options.put("--status-writes-per-second", String.valueOf(defaults.statusWritesPerSecond()));
      options.put("--lease-namespace", defaults.leaseNamespace());
      options.put("--extender-scoring", scheduling.scoring().name());
      options.put("--assume-timeout", scheduling.assumeTimeout().toString());
      options.put("--label-nodes", String.valueOf(scheduling.nodeMarking().label()));
      options.put("--taint-nodes", String.valueOf(scheduling.nodeMarking().taint()));
      options.put("--fit-threshold-mbps", String.valueOf(scheduling.nodeMarking().thresholdMbps()));
      options.put("--fit-by", scheduling.nodeMarking().fitBy().name());
      options.put("--max-utilisation-percent", String.valueOf(scheduling.nodeMarking().maxUtilisationPercent()));
      options.put("--scheduler-name", String.join(",", new TreeSet<>(scheduling.schedulerNames())));
      options.put("--extender-measured-headroom", String.valueOf(scheduling.measuredHeadroom()));
      options.put("--extender-port", String.valueOf(defaults.extender() == null ? -1 : defaults.extender().port()));
      options.put("--admission-port", String.valueOf(defaults.admission() == null ? -1 : defaults.admission().port()));
      options.put("--ledger-application-id", defaults.staleness().ledgerApplicationId());
      options.put("--stale-after", defaults.staleness().after().toString());
      return options;
    }
  }

  @Mixin
  KafkaOptions kafka;

  @Mixin
  KubernetesOptions kubernetes;

  @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:BW_INSTANCE_ID}",
      description = "This instance's stable name, part of its Kafka Streams application id: each instance reads "
          + "every partition, so each needs its own (env BW_INSTANCE_ID; default: the host name, which a "
          + "StatefulSet keeps stable).")
  String instanceId;

  @Mixin
  StateDirOptions state;

  @Option(names = "--history-retention", paramLabel = "DURATION", defaultValue = "${env:BW_HISTORY_RETENTION}",
      description = "How far back ?at= and history reach, as an ISO-8601 duration (env BW_HISTORY_RETENTION, "
          + "default: ${DEFAULT-VALUE}).")
  Duration historyRetention;

  @Option(names = "--status-writes-per-second", paramLabel = "N", defaultValue = "${env:BW_STATUS_WRITES_PER_SECOND}",
      description = "Bandwidth status writes to the API per second, at most (env BW_STATUS_WRITES_PER_SECOND, "
          + "default: ${DEFAULT-VALUE}).")
  double statusWritesPerSecond;

  @Option(names = "--lease-namespace", paramLabel = "NS", defaultValue = "${env:BW_LEASE_NAMESPACE}",
      description = "Namespace of the Lease by which replicas elect the one that writes Bandwidth status "
          + "(env BW_LEASE_NAMESPACE, default: ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Mixin
  AnnotationKeyOptions annotations;

  @Option(names = "--extender-scoring", paramLabel = "POLICY", defaultValue = "${env:BW_EXTENDER_SCORING}",
      description = "How the scheduler extender's prioritize ranks nodes: ${COMPLETION-CANDIDATES} "
          + "(env BW_EXTENDER_SCORING, default: ${DEFAULT-VALUE}).")
  Scoring scoring;

  @Option(names = "--assume-timeout", paramLabel = "DURATION", defaultValue = "${env:BW_ASSUME_TIMEOUT}",
      description = "How long the extender holds a bound pod's bandwidth, and the ledger counts it, before ingest "
          + "sees the pod on its node, as an ISO-8601 duration (env BW_ASSUME_TIMEOUT, default: ${DEFAULT-VALUE}).")
  Duration assumeTimeout;

  @Option(names = "--label-nodes", defaultValue = "${env:BW_LABEL_NODES}", fallbackValue = "true", arity = "0..1",
      description = "Label nodes " + NodeMarking.KEY + "=true|false by whether their remaining network bandwidth "
          + "reaches --fit-threshold-mbps (env BW_LABEL_NODES, default: ${DEFAULT-VALUE}).")
  boolean labelNodes;

  @Option(names = "--taint-nodes", defaultValue = "${env:BW_TAINT_NODES}", fallbackValue = "true", arity = "0..1",
      description = "Taint nodes below --fit-threshold-mbps " + NodeMarking.KEY + "=false:NoSchedule, so the default "
          + "scheduler avoids them without the extender (env BW_TAINT_NODES, default: ${DEFAULT-VALUE}).")
  boolean taintNodes;

  @Option(names = "--fit-threshold-mbps", paramLabel = "MBPS", defaultValue = "${env:BW_FIT_THRESHOLD_MBPS}",
      description = "Remaining network bandwidth, each way, below which a node no longer fits "
          + "(env BW_FIT_THRESHOLD_MBPS, default: ${DEFAULT-VALUE}).")
  long fitThresholdMbps;

  @Option(names = "--fit-by", paramLabel = "WHAT", defaultValue = "${env:BW_FIT_BY}",
      description = "What node marks judge a node's fit by: ${COMPLETION-CANDIDATES}: its reservations (remaining "
          + "network bandwidth against --fit-threshold-mbps), its measured traffic (utilisation against "
          + "--max-utilisation-percent, once two consecutive samples agree), or both (env BW_FIT_BY, "
          + "default: ${DEFAULT-VALUE}).")
  NodeMarking.FitBy fitBy;

  @Option(names = "--max-utilisation-percent", paramLabel = "PERCENT",
      defaultValue = "${env:BW_MAX_UTILISATION_PERCENT}",
      description = "Measured network utilisation, each way, above which a node no longer fits (env "
          + "BW_MAX_UTILISATION_PERCENT, default: ${DEFAULT-VALUE}).")
  int maxUtilisationPercent;

  @Option(names = "--extender-measured-headroom", defaultValue = "${env:BW_EXTENDER_MEASURED_HEADROOM}",
      fallbackValue = "true", arity = "0..1",
      description = "The extender's filter also asks for the pod's network bandwidth within a node's measured "
          + "headroom (capacity less the larger of reserved and carried), while its traffic is measured "
          + "(env BW_EXTENDER_MEASURED_HEADROOM, default: ${DEFAULT-VALUE}).")
  boolean measuredHeadroom;

  @Option(names = "--scheduler-name", paramLabel = "NAME", split = ",", defaultValue = "${env:BW_SCHEDULER_NAMES}",
      description = "Scheduler profiles (spec.schedulerName) whose pods the extender binds; it refuses any other pod "
          + "(env BW_SCHEDULER_NAMES, comma-separated, default: ${DEFAULT-VALUE}).")
  List<String> schedulerNames;

  @Mixin
  HttpOptions http;

  @Option(names = "--extender-port", paramLabel = "PORT", defaultValue = "${env:BW_EXTENDER_PORT}",
      description = "Port of the scheduler extender, with TLS and client certificates of --extender-client-ca-file "
          + "beyond 127.0.0.1; -1 serves none (env BW_EXTENDER_PORT, default: ${DEFAULT-VALUE}).")
  int extenderPort;

  @Option(names = "--admission-port", paramLabel = "PORT", defaultValue = "${env:BW_ADMISSION_PORT}",
      description = "Port of the admission webhooks (validate, fits, tolerate), with TLS; -1 for none (env "
          + "BW_ADMISSION_PORT, default: ${DEFAULT-VALUE}).")
  int admissionPort;

  @Option(names = "--extender-client-ca-file", paramLabel = "FILE", defaultValue = "${env:BW_EXTENDER_CLIENT_CA_FILE}",
      description = "PEM CA whose certificates the scheduler, and other replicas, must present to the extender "
          + "(env BW_EXTENDER_CLIENT_CA_FILE).")
  Path extenderClientCa;

  @Option(names = "--advertise-host", paramLabel = "HOST", defaultValue = "${env:BW_ADVERTISE_HOST}",
      description = "How other replicas reach this one's extender, a name its certificate holds (env BW_ADVERTISE_HOST; "
          + "default: the address it listens on, or the host's).")
  String advertiseHost;

  @Option(names = "--ledger-application-id", paramLabel = "ID", defaultValue = "${env:BW_LEDGER_APPLICATION_ID}",
      description = "The ledger's application id, whose progress through bw.cluster-events tells whether the books "
          + "are current (env BW_LEDGER_APPLICATION_ID, default: ${DEFAULT-VALUE}).")
  String ledgerApplicationId;

  @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "${env:BW_STALE_AFTER}",
      description = "How long the ledger may stand still while events wait before this projector is not ready, as "
          + "an ISO-8601 duration (env BW_STALE_AFTER, default: ${DEFAULT-VALUE}).")
  Duration staleAfter;

  @Mixin
  AuthOptions auth;

  /** The typed configuration these flags and variables give. */
  public ProjectorConfig config() {
    String instance = instanceId == null || instanceId.isBlank() ? hostName() : instanceId;
    HttpSettings extender = extenderPort < 0 ? null
        : new HttpSettings(http.host(), extenderPort, http.tls(extenderClientCa));
    HttpSettings admission = admissionPort < 0 ? null : new HttpSettings(http.host(), admissionPort, http.tls(null));
    return new ProjectorConfig(kafka.settings(), ProjectorConfig.APPLICATION_ID_PREFIX + instance, state.stateDir(),
        historyRetention, statusWritesPerSecond, leaseNamespace, http.settings(), extender, admission, advertiseHost,
        new SchedulingSettings(annotations.annotationKeys(), scoring, assumeTimeout,
            new NodeMarking(labelNodes, taintNodes, fitThresholdMbps, fitBy, maxUtilisationPercent),
            Set.copyOf(schedulerNames), measuredHeadroom),
        new ProjectorConfig.Staleness(ledgerApplicationId, staleAfter));
  }

  /** Runs until SIGTERM or Ctrl-C. */
  @Override
  public Integer call() throws Exception {
    return ProcessLifecycle.run("projector", process -> {
      KubernetesClient client = process.closeLater(kubernetes.client());
      return new ProjectorService(config(), client, auth.settings().guard(() -> client), Clock.systemUTC());
    });
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "local";
    }
  }
}
