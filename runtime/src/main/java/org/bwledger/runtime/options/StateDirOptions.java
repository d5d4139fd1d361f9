package org.bwledger.runtime.options;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where a process keeps its local state: stores, and for {@code bwctl run} Kafka's log too. */
public final class StateDirOptions {

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:BW_STATE_DIR}",
      description = "Where the local state lives, kept across restarts (env BW_STATE_DIR, default: ${DEFAULT-VALUE}).")
  Path stateDir;

  /** The default of this option. */
  public static Map<String, String> defaults(Path defaults) {
    return Map.of("--state-dir", defaults.toString());
  }

  public Path stateDir() {
    return stateDir;
  }
}
