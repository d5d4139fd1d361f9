package org.bwledger.lab;

import org.bwledger.bwctl.Bwctl;
import org.bwledger.lab.run.RunCommand;
import picocli.CommandLine;

/**
 * {@code bin/bwctl}: every command of the server image's {@link Bwctl}, plus {@code run}, the whole
 * system on one machine. {@code run} lives here, not in the image, because it brings a Kafka broker
 * and a simulated Kubernetes API along.
 */
public final class BwctlLab {

  private BwctlLab() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The laboratory's command line. */
  public static CommandLine commandLine() {
    return Bwctl.commandLine().addSubcommand(new RunCommand());
  }
}
