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

  public static BwctlRun bwctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Bwctl());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    return new BwctlRun(exitCode, out.toString(), err.toString());
  }
}
