package org.bwledger.bwctl.options;

import org.bwledger.ledger.app.AnnotationKeyOptions;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The accounting rules' settings, shared by every command that folds events. */
public final class LedgerRulesOptions {

  @Option(names = "--default-local-ul-mbps", paramLabel = "MBPS",
      defaultValue = "${env:BW_DEFAULT_LOCAL_UL_MBPS:-20000}",
      description = "Local uplink capacity of nodes without spec.capacity (env BW_DEFAULT_LOCAL_UL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long localUl;

  @Option(names = "--default-local-dl-mbps", paramLabel = "MBPS",
      defaultValue = "${env:BW_DEFAULT_LOCAL_DL_MBPS:-20000}",
      description = "Local downlink capacity of nodes without spec.capacity (env BW_DEFAULT_LOCAL_DL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long localDl;

  @Option(names = "--default-network-ul-mbps", paramLabel = "MBPS",
      defaultValue = "${env:BW_DEFAULT_NETWORK_UL_MBPS:-1000}",
      description = "Network uplink capacity of nodes without spec.capacity (env BW_DEFAULT_NETWORK_UL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long networkUl;

  @Option(names = "--default-network-dl-mbps", paramLabel = "MBPS",
      defaultValue = "${env:BW_DEFAULT_NETWORK_DL_MBPS:-1000}",
      description = "Network downlink capacity of nodes without spec.capacity (env BW_DEFAULT_NETWORK_DL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long networkDl;

  @Mixin
  AnnotationKeyOptions annotations;

  /** The rules these options describe. */
  public LedgerRules rules() {
    return new LedgerRules(
        annotations.annotationKeys(),
        new DefaultCapacity(localUl, localDl, networkUl, networkDl));
  }
}
