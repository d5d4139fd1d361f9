package org.bwledger.ledger.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bwledger.runtime.auth.AuthSettings;
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

/** {@code bwctl ledger}: the live fold from {@code bw.cluster-events} to {@code bw.node-bandwidth}. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    defaultValueProvider = LedgerCommand.Defaults.class,
    description = "Runs the ledger: folds the cluster-events topic into per-node state on the node-bandwidth "
        + "topic, exactly once, until interrupted. Every flag can also be set with the environment variable it names.")
public final class LedgerCommand implements Callable<Integer> {

  /** The defaults of {@link LedgerConfig#defaults()}. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(KafkaOptions.defaults(LedgerConfig.defaults().kafka()),
          HttpOptions.defaults(LedgerConfig.defaults().serving()),
          AuthOptions.defaults(AuthSettings.defaults()),
          StateDirOptions.defaults(LedgerConfig.defaults().stateDir()),
          LedgerRulesOptions.defaults(LedgerConfig.defaults().rules()),
          Map.of("--application-id", LedgerConfig.defaults().applicationId(),
              "--emit-interval", LedgerConfig.defaults().emitInterval().toString()));
    }
  }

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:BW_APPLICATION_ID}",
      description = "Kafka Streams application id: the consumer group and the prefix of internal topics "
          + "(env BW_APPLICATION_ID, default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:BW_INSTANCE_ID}",
      description = "This replica's stable name (a StatefulSet pod's): a static member of the group, it takes its "
          + "partitions back at once after a restart. Unique among the replicas (env BW_INSTANCE_ID; default: none, "
          + "a dynamic member).")
  String instanceId;

  @Mixin
  StateDirOptions state;

  @Option(names = "--emit-interval", paramLabel = "DURATION", defaultValue = "${env:BW_EMIT_INTERVAL}",
      description = "How often a busy node is published, at most (a quiet one is at once), as an ISO-8601 duration "
          + "(env BW_EMIT_INTERVAL, default: ${DEFAULT-VALUE}).")
  Duration emitInterval;

  @Mixin
  HttpOptions http;

  @Mixin
  LedgerRulesOptions rules;

  @Mixin
  AuthOptions auth;

  @Mixin
  KubernetesOptions kubernetes;

  /** The typed configuration these flags and variables give. */
  public LedgerConfig config() {
    return new LedgerConfig(kafka.settings(), applicationId, instanceId, state.stateDir(), rules.rules(), emitInterval,
        http.settings());
  }

  /** Runs until SIGTERM or Ctrl-C, or until the fold fails (exit code 1). */
  @Override
  public Integer call() throws Exception {
    // The ledger asks the Kubernetes API nothing but who its metrics' callers are.
    return ProcessLifecycle.run("ledger", process -> new LedgerService(config(),
        auth.settings().guard(() -> process.closeLater(kubernetes.client()))));
  }
}
