package org.bwledger.bwctl.compare;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bwledger.bwctl.replay.CapacityOverride;
import org.bwledger.bwctl.replay.CapacityOverrideConverter;
import org.bwledger.bwctl.replay.Replay;
import org.bwledger.bwctl.replay.TimelineFiles;
import org.bwledger.bwctl.replay.TraceInput;
import org.bwledger.bwctl.schedule.PlacementPolicies;
import org.bwledger.bwctl.schedule.Scheduling;
import org.bwledger.ledger.app.LedgerRulesOptions;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.options.ConfigDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bwctl compare TRACE --policy A --policy B}: placement policies side by side on one trace. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    defaultValueProvider = CompareCommand.Defaults.class,
    description = {
        "Replays a trace once per placement policy, each pod arriving as recorded and placed by the policy, and "
            + "prints what each made of it: pods placed, pending and never placed; minutes nodes spent "
            + "oversubscribed; the share of reserved traffic kept link-local; arrival-to-placement time (p50, p99) "
            + "in trace time; and each node's peak and mean network utilisation.",
        "The same trace, policies and seed give the same bytes, in every format."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:compared on the whole trace",
        "1:the trace could not be read, or a timeline not written",
        "2:invalid command line, or the trace is not a file",
        "3:compared, but some of the trace was skipped (reported on standard error)"})
public final class CompareCommand implements Callable<Integer> {

  /** The rules the ledger folds with by default. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(LedgerRulesOptions.defaults(LedgerRules.DEFAULT));
    }
  }

  /** Output formats. */
  public enum Format { table, json, csv }

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "TRACE", description = "The trace: kubectl's or bwctl record's JSON lines, or bwctl export's Avro file.")
  private Path trace;

  @Option(names = "--policy", paramLabel = "POLICY",
      description = "A policy to compare; repeatable, in the order given (default: as-recorded, "
          + "siblings-then-remaining, first-fit, spread).")
  private List<String> policies = new ArrayList<>();

  @Option(names = "--seed", defaultValue = "1",
      description = "The seed of the node order that breaks ties, the same for every policy (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = {"-o", "--output"}, defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Format output;

  @Option(names = "--capacity", paramLabel = "NODE:DIMENSION=MBPS", converter = CapacityOverrideConverter.class,
      description = "What-if capacity of one node in one dimension, as replay takes it; repeatable.")
  private List<CapacityOverride> capacities = new ArrayList<>();

  @Option(names = "--timeline", paramLabel = "FILE",
      description = "Also write each policy's timeline, as replay does, to FILE with the policy's name before its "
          + "extension: --timeline runs.svg writes runs.first-fit.svg, runs.spread.svg, ...")
  private Path timeline;

  @Mixin
  private LedgerRulesOptions rules;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> unreadable = TraceInput.unreadable(trace);
    if (unreadable.isPresent()) {
      err.println(unreadable.get());
      return 2;
    }
    if (timeline != null && !TimelineFiles.supports(timeline)) {
      err.println("--timeline " + timeline + ": give a file ending in .csv or .svg");
      return 2;
    }
    List<Scheduling.Plan> plans = new ArrayList<>();
    PlacementPolicies available = PlacementPolicies.available();
    for (String policy : policies.isEmpty()
        ? List.of(PlacementPolicies.AS_RECORDED, "siblings-then-remaining", "first-fit", "spread") : policies) {
      try {
        plans.add(available.plan(policy, seed));
      } catch (IllegalArgumentException e) {
        err.println("--policy: " + e.getMessage());
        return 2;
      }
    }

    Replay replay = new Replay(rules.rules());
    List<PolicyFigures> figures = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long start = System.nanoTime();
    for (Scheduling.Plan plan : plans) {
      Replay.Result result;
      try {
        result = TraceInput.replay(trace.toString(), replay,
            new Replay.Options(null, capacities, true, timeline != null, 1, plan), false);
      } catch (IOException e) {
        err.println("cannot read the trace " + trace + ": " + e.getMessage());
        return 1;
      }
      figures.add(PolicyFigures.of(result));
      if (skipped.isEmpty()) {
        skipped.addAll(result.skipped()); // the same trace skips the same for every policy
      }
      if (timeline != null) {
        try {
          TimelineFiles.write(result.timeline(), timelineOf(plan), Set.of())
              .forEach(written -> err.println("timeline written to " + written));
        } catch (IOException e) {
          err.println("cannot write the timeline " + timelineOf(plan) + ": " + e.getMessage());
          return 1;
        }
      }
    }
    Comparison comparison = new Comparison(seed, figures);
    PrintWriter out = spec.commandLine().getOut();
    out.print(switch (output) {
      case table -> comparison.table();
      case json -> comparison.json();
      case csv -> comparison.csv();
    });
    out.flush();
    err.printf("compared %d policies in %.1f s%n", plans.size(), (System.nanoTime() - start) / 1e9);
    skipped.forEach(problem -> err.println("skipped " + problem));
    err.flush();
    return skipped.isEmpty() ? 0 : 3;
  }

  /** {@code runs.svg} for policy {@code spread}: {@code runs.spread.svg}. */
  private Path timelineOf(Scheduling.Plan plan) {
    String name = timeline.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return timeline.resolveSibling(name.substring(0, dot) + "." + plan.policyName() + name.substring(dot));
  }
}
