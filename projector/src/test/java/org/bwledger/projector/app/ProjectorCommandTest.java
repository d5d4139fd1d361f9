package org.bwledger.projector.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.bwledger.projector.extender.Scoring;
import org.bwledger.projector.nodes.NodeMarking;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProjectorCommandTest {

  @Test
  void withoutFlagsTheExtenderReadsTheLedgersKeysAndNothingIsWrittenOnNodes() {
    ProjectorConfig config = parse("--instance-id", "p-0");

    assertThat(config.applicationId()).isEqualTo("bwledger-projector-p-0");
    assertThat(config.scheduling()).isEqualTo(SchedulingSettings.DEFAULT);
    assertThat(config.producerProperties())
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    assertThat(config.streamsProperties())
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "bwledger-projector-p-0");
  }

  @Test
  void schedulingFlagsSetEverySchedulingSetting() {
    ProjectorConfig config = parse("--instance-id", "p-0",
        "--egress-annotation", "example.com/up=mbps",
        "--ingress-annotation", "example.com/down=quantity",
        "--extender-scoring", "REMAINING",
        "--assume-timeout", "PT10S",
        "--label-nodes",
        "--taint-nodes=true",
        "--fit-threshold-mbps", "50",
        "--fit-by", "BOTH",
        "--max-utilisation-percent", "70",
        "--extender-measured-headroom",
        "--scheduler-name", "lab-scheduler,bandwidth-scheduler");

    assertThat(config.scheduling()).isEqualTo(new SchedulingSettings(
        new AnnotationKeys(List.of(new AnnotationKey("example.com/up", AnnotationKey.Format.MBPS)),
            List.of(new AnnotationKey("example.com/down", AnnotationKey.Format.QUANTITY))),
        Scoring.REMAINING, Duration.ofSeconds(10), new NodeMarking(true, true, 50, NodeMarking.FitBy.BOTH, 70),
        Set.of("lab-scheduler", "bandwidth-scheduler"), true));
  }

  private static ProjectorConfig parse(String... args) {
    ProjectorCommand command = new ProjectorCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }
}
