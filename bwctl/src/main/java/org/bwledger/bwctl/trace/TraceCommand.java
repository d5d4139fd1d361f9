package org.bwledger.bwctl.trace;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bwctl trace}: tools for the traces replay reads. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = "Tools for traces (kubectl's watch output or bwctl record's): check one, summarise it, cut a "
        + "window out of it, keep some of its pods, import another tool's recording.",
    subcommands = {TraceValidateCommand.class, TraceStatsCommand.class, TraceCutCommand.class,
        TraceFilterCommand.class, TraceImportCommand.class})
public final class TraceCommand implements Runnable {

  @Spec
  private CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
