package org.bwledger.bwctl;

import org.bwledger.bwctl.export.ExportCommand;
import org.bwledger.bwctl.get.GetCommand;
import org.bwledger.bwctl.ledger.LedgerCommand;
import org.bwledger.bwctl.record.RecordCommand;
import org.bwledger.bwctl.replay.ReplayCommand;
import org.bwledger.bwctl.run.RunCommand;
import org.bwledger.ingest.app.IngestCommand;
import org.bwledger.projector.app.ProjectorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The bwledger command line. */
@Command(
    name = "bwctl",
    mixinStandardHelpOptions = true,
    versionProvider = BwctlVersion.class,
    description = "Event-sourced bandwidth accounting for Kubernetes.",
    subcommands = {RunCommand.class, GetCommand.class, RecordCommand.class, ReplayCommand.class, ExportCommand.class, IngestCommand.class, LedgerCommand.class, ProjectorCommand.class})
public final class Bwctl {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bwctl()).execute(args));
  }
}
