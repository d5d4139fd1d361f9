package org.bwledger.bwctl;

import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar, or "development" when run from classes. */
public final class BwctlVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"bwctl " + version()};
  }

  /** The version alone, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    String version = Bwctl.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
