package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.options.InstantConverter;
import org.bwledger.bwctl.output.BandwidthTable;
import org.bwledger.bwctl.schedule.PlacementPolicies;
import org.bwledger.bwctl.schedule.Scheduling;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.ledger.app.LedgerRulesOptions;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.options.ConfigDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bwctl replay TRACE}: the Bandwidth objects a recorded cluster history leads to. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    defaultValueProvider = ReplayCommand.Defaults.class,
    description = {
        "Replays a trace through the ledger's rules and prints the Bandwidth objects the cluster would hold.",
        "A trace is what `kubectl get pods,nodes,bandwidths -A --watch --output-watch-events -o json` prints, "
            + "what `bwctl record` writes, or an Avro file of cluster events from `bwctl export`."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:the whole trace was replayed",
        "1:the trace could not be read",
        "2:invalid command line, or the trace is not a file",
        "3:replayed, but some of the trace was skipped (reported on standard error)"})
public final class ReplayCommand implements Callable<Integer> {

  /** The rules the ledger folds with by default. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(LedgerRulesOptions.defaults(LedgerRules.DEFAULT));
    }
  }

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

  @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Show a progress bar on standard error for traces over 64 MiB (default: on).")
  private boolean progress;

  @Option(names = "--at", paramLabel = "TIME", converter = InstantConverter.class,
      description = "Replay only what was observed up to this ISO-8601 time, e.g. 2026-11-23T10:15:30Z: the "
          + "state then.")
  private Instant at;

  @Option(names = "--capacity", paramLabel = "NODE:DIMENSION=MBPS", converter = CapacityOverrideConverter.class,
      description = "What-if capacity of one node in one dimension (local-ul, local-dl, network-ul, network-dl), "
          + "over its Bandwidth spec and the defaults; repeatable, e.g. --capacity worker-2:network-ul=500.")
  private List<CapacityOverride> capacities = new ArrayList<>();

  @Option(names = "--oversubscription",
      description = "After the table, report which nodes were oversubscribed during the history: first time, "
          + "for how long, how often, in which dimensions.")
  private boolean oversubscription;

  @Option(names = "--timeline", paramLabel = "FILE",
      description = "Also write every node's figures over the history: FILE.csv (each change, one row, and the "
          + "spells below 0 in FILE.spells.csv) or FILE.svg (a chart a node). The same history, the same bytes.")
  private Path timeline;

  @Option(names = "--timeline-node", paramLabel = "NODE",
      description = "Only this node in --timeline; repeatable (default: every node).")
  private Set<String> timelineNodes = new TreeSet<>();

  @Option(names = "--schedule", paramLabel = "POLICY",
      description = "Place the trace's pods by this policy instead of where the trace put them: as-recorded, "
          + "siblings-then-remaining, remaining, first-fit, spread, or one added on the class path. Each pod arrives "
          + "when the trace first shows it; one that fits nowhere waits for room. A summary goes to standard error.")
  private String schedule;

  @Option(names = "--seed", defaultValue = "1",
      description = "The seed of the node order that breaks the policy's ties (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Mixin
  private LedgerRulesOptions rules;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> unreadable = trace.equals("-") ? Optional.empty() : TraceInput.unreadable(Path.of(trace));
    if (unreadable.isPresent()) {
      err.println(unreadable.get());
      return 2;
    }
    if (timeline != null && !TimelineFiles.supports(timeline)) {
      err.println("--timeline " + timeline + ": give a file ending in .csv or .svg");
      return 2;
    }
    Scheduling.Plan plan = null;
    if (schedule != null) {
      try {
        plan = PlacementPolicies.available().plan(schedule, seed);
      } catch (IllegalArgumentException e) {
        err.println("--schedule: " + e.getMessage());
        return 2;
      }
    }
    Replay replay = new Replay(rules.rules());
    Replay.Options options = new Replay.Options(at, capacities, oversubscription, timeline != null, 1, plan);
    Replay.Result result;
    try {
      result = TraceInput.replay(trace, replay, options, progress);
    } catch (IOException e) {
      err.println("cannot read the trace " + trace + ": " + e.getMessage());
      return 1;
    }

    PrintWriter out = spec.commandLine().getOut();
    out.print(render(result));
    if (oversubscription) {
      out.print("\n" + OversubscriptionReport.render(result.oversubscribed()));
    }
    out.flush();
    if (timeline != null) {
      try {
        TimelineFiles.write(result.timeline(), timeline, timelineNodes)
            .forEach(written -> err.println("timeline written to " + written));
      } catch (IOException e) {
        err.println("cannot write the timeline " + timeline + ": " + e.getMessage());
        return 1;
      }
    }
    if (result.scheduled() != null) {
      err.println(summary(result.scheduled().outcome()));
    }
    result.noted().forEach(note -> err.println("noted: " + note));
    result.skipped().forEach(problem -> err.println("skipped " + problem));
    err.flush();
    return result.skipped().isEmpty() ? 0 : SKIPPED_INPUT;
  }

  /** One line on what became of the pods a policy placed. */
  static String summary(Scheduling.Outcome outcome) {
    return String.format("placed by %s, seed %d: %d pods arrived, %d placed, %d pending, %d never placed; "
            + "arrival to placement p50 %s, p99 %s", outcome.policy(), outcome.seed(), outcome.arrived(),
        outcome.placed(), outcome.pending(), outcome.neverPlaced(), seconds(outcome.placementWait(50)),
        seconds(outcome.placementWait(99)));
  }

  private static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
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
}
