package org.bwledger.bwctl.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.options.LedgerRulesOptions;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerService;
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

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,…]",
      defaultValue = "${env:BW_BOOTSTRAP_SERVERS:-localhost:9092}",
      description = "Kafka bootstrap servers (env BW_BOOTSTRAP_SERVERS, default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "${env:BW_TOPIC_PREFIX:-bw.}",
      description = "Prefix of the shared topics' names (env BW_TOPIC_PREFIX, default: ${DEFAULT-VALUE}).")
  String topicPrefix;

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

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:BW_PARTITIONS:-6}",
      description = "Partitions of the shared topics when the ledger has to create them "
          + "(env BW_PARTITIONS, default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--kafka", paramLabel = "KEY=VALUE", split = ",",
      defaultValue = "${env:BW_KAFKA_PROPERTIES}",
      description = "Further Kafka client or Streams properties, e.g. security.protocol=SASL_SSL "
          + "(env BW_KAFKA_PROPERTIES, comma-separated).")
  Map<String, String> kafka = new TreeMap<>();

  @Mixin
  LedgerRulesOptions rules;

  /** The typed configuration these flags and variables give. */
  public LedgerConfig config() {
    return new LedgerConfig(bootstrapServers, topicPrefix, applicationId, stateDir, rules.rules(), emitInterval,
        partitions, kafka);
  }

  /** Runs until SIGTERM or Ctrl-C (the ledger is closed cleanly inside the shutdown hook), or until it fails. */
  @Override
  public Integer call() throws Exception {
    LedgerService ledger = new LedgerService(config());
    Runtime.getRuntime().addShutdownHook(new Thread(ledger::close, "bwctl-ledger-shutdown"));
    ledger.start();
    return ledger.awaitStop() ? 1 : 0;
  }
}
