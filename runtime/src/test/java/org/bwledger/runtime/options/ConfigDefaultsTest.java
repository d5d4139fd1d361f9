package org.bwledger.runtime.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.junit.jupiter.api.Test;
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
  void aVariableTheOptionNamesWinsOverTheDefaultAndAFlagOverBoth() {
    Sample sample = new Sample();
    new CommandLine(sample).parseArgs("--partitions", "3");

    assertThat(sample.home).isEqualTo(System.getenv("HOME")).isNotNull();
    assertThat(sample.kafka.settings().partitions()).isEqualTo(3);
  }
}
