package org.bwledger.bwctl.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.bwledger.bwctl.Bwctl;
import picocli.CommandLine;

/**
 * One {@code bwctl} command run in this JVM, as a user would type it.
 *
 * @param exitCode what the process would exit with
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
public record BwctlRun(int exitCode, String out, String err) {

  /** Runs {@code bwctl ARGS} as the server image's bwctl. */
  public static BwctlRun bwctl(String... args) {
    return run(Bwctl.commandLine(), args);
  }

  /** Runs {@code args} on {@code cli}, a bwctl command line. */
  public static BwctlRun run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    return new BwctlRun(exitCode, out.toString(), err.toString());
  }
}
