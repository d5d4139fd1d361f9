package org.bwledger.bwctl.ledger;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams;
import org.bwledger.bwctl.options.LedgerRulesOptions;
import org.bwledger.ingest.app.OpsServer;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
import org.bwledger.schemas.topic.KafkaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bwctl ledger}: runs the live fold from {@code bw.cluster-events} to {@code bw.node-bandwidth}. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Runs the ledger: folds the cluster-events topic into per-node state on the node-bandwidth "
        + "topic, exactly once, until interrupted. Every flag can also be set with the environment variable it names.")
public final class LedgerCommand implements Callable<Integer> {

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = "${env:BW_APPLICATION_ID:-bwledger-ledger}",
      description = "Kafka Streams application id: the consumer group and the prefix of internal topics "
          + "(env BW_APPLICATION_ID, default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:BW_STATE_DIR:-bwledger-state/ledger}",
      description = "Where the ledger keeps its local state (env BW_STATE_DIR, default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--emit-interval", paramLabel = "DURATION", defaultValue = "${env:BW_EMIT_INTERVAL:-PT1S}",
      description = "How often each changed node is published, at most, as an ISO-8601 duration "
          + "(env BW_EMIT_INTERVAL, default: ${DEFAULT-VALUE}).")
  Duration emitInterval;

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:BW_HTTP_HOST:-0.0.0.0}",
      description = "Address of /healthz, /readyz and /metrics (env BW_HTTP_HOST, default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT:-8082}",
      description = "Port of /healthz, /readyz and /metrics; -1 serves none (env BW_HTTP_PORT, "
          + "default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Mixin
  KafkaOptions kafka;

  @Mixin
  LedgerRulesOptions rules;

  /** The typed configuration these flags and variables give. */
  public LedgerConfig config() {
    return new LedgerConfig(kafka.bootstrapServers(), kafka.topicPrefix(), applicationId, stateDir, rules.rules(),
        emitInterval, kafka.partitions(), kafka.properties());
  }

  /** Runs until SIGTERM or Ctrl-C (the ledger is closed cleanly inside the shutdown hook), or until it fails. */
  @Override
  public Integer call() throws Exception {
    LedgerService ledger = new LedgerService(config());
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OpsServer ops = httpPort < 0 ? null : new OpsServer(httpHost, httpPort, () -> health(ledger.state()), metrics);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ledger.close();
      if (ops != null) {
        ops.close();
      }
    }, "bwctl-ledger-shutdown"));
    ledger.start();
    ledger.bindMetrics(metrics);
    return ledger.awaitStop() ? 1 : 0;
  }

  /** Live unless the fold stopped or failed; ready while it runs (not while it rebalances or restores). */
  static OpsServer.Health health(KafkaStreams.State state) {
    if (state == null) {
      return new OpsServer.Health(true, false, "starting");
    }
    boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING
        && state != KafkaStreams.State.PENDING_ERROR;
    return new OpsServer.Health(live, state == KafkaStreams.State.RUNNING, "Kafka Streams is " + state);
  }
}
