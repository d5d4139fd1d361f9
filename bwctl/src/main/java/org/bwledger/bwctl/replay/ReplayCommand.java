package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.output.BandwidthObjects;
import org.bwledger.bwctl.output.BandwidthTable;
import org.bwledger.ledger.rules.AnnotationKey;
import org.bwledger.ledger.rules.AnnotationKeys;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bwctl replay TRACE}: the Bandwidth objects a recorded cluster history leads to. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
        "Replays a trace through the ledger's rules and prints the Bandwidth objects the cluster would hold.",
        "A trace is what `kubectl get pods,nodes,bandwidths -A --watch --output-watch-events -o json` prints."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the whole trace was replayed",
        "1:the trace could not be read",
        "2:invalid command line",
        "3:replayed, but some of the trace was skipped (reported on standard error)"})
public final class ReplayCommand implements Callable<Integer> {

  /** Exit code when part of the trace was skipped. */
  public static final int SKIPPED_INPUT = 3;

  /** Output formats. */
  public enum Format { table, json, yaml }

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "The trace file, or - for standard input.")
  private String trace;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Format output;

  @Option(names = "--default-local-ul-mbps", defaultValue = "20000", paramLabel = "MBPS",
      description = "Local uplink capacity of nodes without spec.capacity (default: ${DEFAULT-VALUE}).")
  private long localUl;

  @Option(names = "--default-local-dl-mbps", defaultValue = "20000", paramLabel = "MBPS",
      description = "Local downlink capacity of nodes without spec.capacity (default: ${DEFAULT-VALUE}).")
  private long localDl;

  @Option(names = "--default-network-ul-mbps", defaultValue = "1000", paramLabel = "MBPS",
      description = "Network uplink capacity of nodes without spec.capacity (default: ${DEFAULT-VALUE}).")
  private long networkUl;

  @Option(names = "--default-network-dl-mbps", defaultValue = "1000", paramLabel = "MBPS",
      description = "Network downlink capacity of nodes without spec.capacity (default: ${DEFAULT-VALUE}).")
  private long networkDl;

  @Option(names = "--egress-annotation", paramLabel = "KEY[=quantity|mbps]", split = ",",
      defaultValue = "kubernetes.io/egress-bandwidth=quantity,ovn.kubernetes.io/egress_rate=mbps",
      description = "Egress annotation keys in order of precedence, each a Kubernetes quantity in bit/s or "
          + "plain Mbit/s (default: ${DEFAULT-VALUE}).")
  private List<String> egressKeys;

  @Option(names = "--ingress-annotation", paramLabel = "KEY[=quantity|mbps]", split = ",",
      defaultValue = "kubernetes.io/ingress-bandwidth=quantity,ovn.kubernetes.io/ingress_rate=mbps",
      description = "Ingress annotation keys in order of precedence (default: ${DEFAULT-VALUE}).")
  private List<String> ingressKeys;

  @Override
  public Integer call() throws Exception {
    LedgerRules rules = new LedgerRules(
        new AnnotationKeys(
            egressKeys.stream().map(AnnotationKey::parse).toList(),
            ingressKeys.stream().map(AnnotationKey::parse).toList()),
        new DefaultCapacity(localUl, localDl, networkUl, networkDl));

    Replay.Result result;
    try (BufferedReader in = open(trace)) {
      result = new Replay(rules).run(in);
    }

    PrintWriter out = spec.commandLine().getOut();
    out.print(render(result));
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    result.skipped().forEach(problem -> err.println("skipped " + problem));
    err.flush();
    return result.skipped().isEmpty() ? 0 : SKIPPED_INPUT;
  }

  private String render(Replay.Result result) throws Exception {
    return switch (output) {
      case table -> BandwidthTable.render(result.nodes().values());
      case json -> {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        yield json.writeValueAsString(new BandwidthObjects(json).list(result.nodes().values())) + "\n";
      }
      case yaml -> {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
        yield yaml.writeValueAsString(new BandwidthObjects(yaml).list(result.nodes().values()));
      }
    };
  }

  private static BufferedReader open(String trace) throws IOException {
    if (trace.equals("-")) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(Path.of(trace), StandardCharsets.UTF_8);
  }
}
