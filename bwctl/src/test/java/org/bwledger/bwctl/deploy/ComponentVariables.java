package org.bwledger.bwctl.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.ingest.app.IngestCommand;
import org.bwledger.ledger.app.LedgerCommand;
import org.bwledger.projector.app.ProjectorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code BW_…} variables each component reads, taken from its command's options as written. */
final class ComponentVariables {

  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

  private ComponentVariables() {}

  /** The variables of the component a container runs as its first argument: ingest, ledger or projector. */
  static Set<String> readBy(String component) {
    Object command = switch (component) {
      case "ingest" -> new IngestCommand();
      case "ledger" -> new LedgerCommand();
      case "projector" -> new ProjectorCommand();
      default -> throw new IllegalArgumentException("no component " + component);
    };
    CommandLine cli = new CommandLine(command);
    cli.setInterpolateVariables(false); // the default values as written: ${env:BW_…:-…}
    Set<String> read = new TreeSet<>();
    for (OptionSpec option : cli.getCommandSpec().options()) {
      Matcher matcher = ENV.matcher(String.valueOf(option.defaultValue()));
      while (matcher.find()) {
        read.add(matcher.group(1));
      }
    }
    return read;
  }

  /** The components, by the argument that starts them. */
  static final Set<String> COMPONENTS = Set.of("ingest", "ledger", "projector");

  /** What else the containers may set: the JVM's and fabric8's own variables. */
  static final Map<String, String> OTHERS = Map.of(
      "JAVA_TOOL_OPTIONS", "the JVM", "KUBECONFIG", "fabric8", "KUBERNETES_MASTER", "fabric8",
      "POD_NAME", "BW_ADVERTISE_HOST's $(POD_NAME)");
}
