package org.bwledger.bwctl.ledger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.options.LedgerRulesOptions;
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
    Runtime.getRuntime().addShutdownHook(new Thread(ledger::close, "bwctl-ledger-shutdown"));
    ledger.start();
    return ledger.awaitStop() ? 1 : 0;
  }
}
