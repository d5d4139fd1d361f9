package org.bwledger.ledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class LedgerCommandTest {

  @Test
  void withoutFlagsTheLedgerRunsAgainstALocalBrokerWithTheExistingOperatorsRules() {
    LedgerConfig config = parse();

    assertThat(config).isEqualTo(new LedgerConfig(new KafkaSettings("localhost:9092", "bw.", 6, Map.of()),
        "bwledger-ledger", null, Path.of("bwledger-state/ledger"), LedgerRules.DEFAULT, Duration.ofMillis(250),
        ServingSettings.everywhere(8082, 8182)));
    assertThat(config.streamsProperties())
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 30)
        .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "bw.dead-letters")
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void flagsSetEveryField() {
    LedgerConfig config = parse(
        "--bootstrap-servers", "kafka-0:9093,kafka-1:9093",
        "--topic-prefix", "lab.",
        "--application-id", "lab-ledger",
        "--instance-id", "bwledger-ledger-1",
        "--state-dir", "/var/lib/bwledger",
        "--emit-interval", "PT0.5S",
        "--partitions", "12",
        "--default-network-ul-mbps", "10000",
        "--kafka", "security.protocol=SASL_SSL,sasl.mechanism=SCRAM-SHA-512,commit.interval.ms=200");

    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-0:9093,kafka-1:9093");
    assertThat(config.kafka().topics().clusterEvents().name()).isEqualTo("lab.cluster-events");
    assertThat(config.applicationId()).isEqualTo("lab-ledger");
    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/bwledger"));
    assertThat(config.emitInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.kafka().partitions()).isEqualTo(12);
    assertThat(config.rules().defaultCapacity()).isEqualTo(new DefaultCapacity(20_000, 20_000, 10_000, 1_000));
    assertThat(config.streamsProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200")
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "bwledger-ledger-1");
  }

  @Test
  void theProbesFollowKafkaStreams() {
    assertThat(LedgerService.health(null).ready()).isFalse();
    assertThat(LedgerService.health(KafkaStreams.State.REBALANCING)).satisfies(h -> {
      assertThat(h.live()).isTrue();
      assertThat(h.ready()).isFalse();
      assertThat(h.reason()).contains("REBALANCING");
    });
    assertThat(LedgerService.health(KafkaStreams.State.RUNNING).ready()).isTrue();
    assertThat(LedgerService.health(KafkaStreams.State.ERROR).live()).isFalse();
  }

  @Test
  void aBadDurationIsACommandLineError() {
    assertThatThrownBy(() -> parse("--emit-interval", "1s")).isInstanceOf(ParameterException.class)
        .hasMessageContaining("--emit-interval");
  }

  private static LedgerConfig parse(String... args) {
    LedgerCommand command = new LedgerCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }
}
