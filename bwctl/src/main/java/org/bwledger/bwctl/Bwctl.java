package org.bwledger.bwctl;

import org.bwledger.bwctl.audit.AuditCommand;
import org.bwledger.bwctl.compare.CompareCommand;
import org.bwledger.bwctl.export.ExportCommand;
import org.bwledger.bwctl.get.GetCommand;
import org.bwledger.bwctl.record.RecordCommand;
import org.bwledger.bwctl.replay.CertifyCommand;
import org.bwledger.bwctl.replay.ReplayCommand;
import org.bwledger.bwctl.trace.TraceCommand;
import org.bwledger.ingest.app.IngestCommand;
import org.bwledger.ledger.app.LedgerCommand;
import org.bwledger.projector.app.ProjectorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The bwledger command line as the server image holds it: the three services, and the commands that
 * query, record, export and replay. The local laboratory adds {@code run} to it (module {@code lab}).
 */
@Command(
    name = "bwctl",
    mixinStandardHelpOptions = true,
    versionProvider = BwctlVersion.class,
    description = "Event-sourced bandwidth accounting for Kubernetes.",
    subcommands = {GetCommand.class, RecordCommand.class, ReplayCommand.class, CompareCommand.class, CertifyCommand.class, ExportCommand.class,
        TraceCommand.class, AuditCommand.class, IngestCommand.class, LedgerCommand.class, ProjectorCommand.class})
public final class Bwctl {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, every subcommand in place. */
  public static CommandLine commandLine() {
    return new CommandLine(new Bwctl());
  }
}
