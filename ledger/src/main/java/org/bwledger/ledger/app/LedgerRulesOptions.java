package org.bwledger.ledger.app;

import java.util.HashMap;
import java.util.Map;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.options.AnnotationKeyOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The accounting rules' settings, shared by every command that folds events: the ledger, replay, run. */
public final class LedgerRulesOptions {

  @Option(names = "--default-local-ul-mbps", paramLabel = "MBPS", defaultValue = "${env:BW_DEFAULT_LOCAL_UL_MBPS}",
      description = "Local uplink capacity of nodes without spec.capacity (env BW_DEFAULT_LOCAL_UL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long localUl;

  @Option(names = "--default-local-dl-mbps", paramLabel = "MBPS", defaultValue = "${env:BW_DEFAULT_LOCAL_DL_MBPS}",
      description = "Local downlink capacity of nodes without spec.capacity (env BW_DEFAULT_LOCAL_DL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long localDl;

  @Option(names = "--default-network-ul-mbps", paramLabel = "MBPS",
      defaultValue = "${env:BW_DEFAULT_NETWORK_UL_MBPS}",
      description = "Network uplink capacity of nodes without spec.capacity (env BW_DEFAULT_NETWORK_UL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long networkUl;

  @Option(names = "--default-network-dl-mbps", paramLabel = "MBPS",
      defaultValue = "${env:BW_DEFAULT_NETWORK_DL_MBPS}",
      description = "Network downlink capacity of nodes without spec.capacity (env BW_DEFAULT_NETWORK_DL_MBPS, "
          + "default: ${DEFAULT-VALUE}).")
  long networkDl;

  @Mixin
  AnnotationKeyOptions annotations;

  /** The defaults of these options (and of the annotation keys'), from {@code defaults}. */
  public static Map<String, String> defaults(LedgerRules defaults) {
    DefaultCapacity capacity = defaults.defaultCapacity();
    Map<String, String> options = new HashMap<>(AnnotationKeyOptions.defaults(defaults.annotationKeys()));
    options.put("--default-local-ul-mbps", String.valueOf(capacity.localUlMbps()));
    options.put("--default-local-dl-mbps", String.valueOf(capacity.localDlMbps()));
    options.put("--default-network-ul-mbps", String.valueOf(capacity.networkUlMbps()));
    options.put("--default-network-dl-mbps", String.valueOf(capacity.networkDlMbps()));
    return options;
  }

  /** The rules these options describe. */
  public LedgerRules rules() {
    return new LedgerRules(annotations.annotationKeys(), new DefaultCapacity(localUl, localDl, networkUl, networkDl));
  }
}
