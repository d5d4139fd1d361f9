package org.bwledger.bwctl;

import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar, or "development" when run from classes. */
public final class BwctlVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Bwctl.class.getPackage().getImplementationVersion();
    return new String[] {"bwctl " + (version == null ? "development" : version)};
  }
}
