package org.bwledger.runtime.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class ConfigDefaultsTest {

  /** A command whose defaults come from a typed configuration, as every bwledger command's do. */
  @Command(name = "sample", defaultValueProvider = Sample.Defaults.class)
  static final class Sample {

    static final class Defaults extends ConfigDefaults {
      Defaults() {
        super(KafkaOptions.defaults(KafkaSettings.defaults().withPartitions(12)), Map.of("--mode", "fast"));
      }
    }

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--mode", defaultValue = "${env:BW_TEST_MODE_THAT_IS_NOT_SET}",
        description = "How (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--home", defaultValue = "${env:HOME}")
    String home;
  }

  @Test
  void optionsTakeTheConfigurationsDefaultsAndHelpShowsThem() {
    Sample sample = new Sample();
    CommandLine cli = new CommandLine(sample);
    cli.parseArgs();

    assertThat(sample.kafka.settings()).isEqualTo(KafkaSettings.defaults().withPartitions(12));
    assertThat(sample.mode).isEqualTo("fast");
    assertThat(cli.getUsageMessage()).contains("How (default: fast).");
  }

  @Test
  void kafkaPropertiesComeFromAFileWithCommasInValuesAndFlagsOverThem(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
        "# mounted from a Secret",
        "security.protocol=SASL_SSL",
        "ssl.enabled.protocols=TLSv1.2,TLSv1.3",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest\" "
            + "password=\"s3cr=t,x\";",
        "linger.ms=5"));
    Sample sample = new Sample();
    new CommandLine(sample).parseArgs("--kafka-properties-file", file.toString(), "--kafka", "linger.ms=20");

    assertThat(sample.kafka.settings().properties()).containsOnly(
        Map.entry("security.protocol", "SASL_SSL"),
        Map.entry("ssl.enabled.protocols", "TLSv1.2,TLSv1.3"),
        Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"ingest\" password=\"s3cr=t,x\";"),
        Map.entry("linger.ms", "20"));
  }

  @Test
  void aVariableTheOptionNamesWinsOverTheDefaultAndAFlagOverBoth() {
    Sample sample = new Sample();
    new CommandLine(sample).parseArgs("--partitions", "3");

    assertThat(sample.home).isEqualTo(System.getenv("HOME")).isNotNull();
    assertThat(sample.kafka.settings().partitions()).isEqualTo(3);
  }
}
