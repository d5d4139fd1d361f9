package org.bwledger.runtime.options;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives a command's options the defaults of its process's typed configuration, so each default is
 * written once, in that configuration's {@code defaults()}, and {@code --help} shows it. The
 * {@code BW_…} variable an option names ({@code defaultValue = "${env:BW_…}"}) still wins when set.
 *
 * <p>A command names its provider ({@code @Command(defaultValueProvider = …)}) as a subclass that
 * gathers the defaults of its mixins, e.g. {@code KafkaOptions.defaults(KafkaSettings.defaults())}.
 */
public abstract class ConfigDefaults implements IDefaultValueProvider {

  private final Map<String, String> byOption = new HashMap<>();

  /** @param parts each a map from an option's longest name ({@code --http-port}) to its default */
  @SafeVarargs
  protected ConfigDefaults(Map<String, String>... parts) {
    for (Map<String, String> part : parts) {
      part.forEach((option, value) -> {
        if (byOption.put(option, value) != null) {
          throw new IllegalStateException("two defaults for " + option);
        }
      });
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    String fromEnvironment = arg.defaultValue(); // the option's ${env:BW_…}, resolved
    if (fromEnvironment != null) {
      return fromEnvironment;
    }
    return arg instanceof OptionSpec option ? byOption.get(option.longestName()) : null;
  }
}
