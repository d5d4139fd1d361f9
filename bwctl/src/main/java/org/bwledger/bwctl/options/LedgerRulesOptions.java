package org.bwledger.bwctl.options;

import java.util.List;
import org.bwledger.ledger.rules.AnnotationKey;
import org.bwledger.ledger.rules.AnnotationKeys;
import org.bwledger.ledger.rules.DefaultCapacity;
import org.bwledger.ledger.rules.LedgerRules;
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

  @Option(names = "--egress-annotation", paramLabel = "KEY[=quantity|mbps]", split = ",",
      defaultValue = "${env:BW_EGRESS_ANNOTATIONS:-kubernetes.io/egress-bandwidth=quantity,ovn.kubernetes.io/egress_rate=mbps}",
      description = "Egress annotation keys in order of precedence, each a Kubernetes quantity in bit/s or "
          + "plain Mbit/s (env BW_EGRESS_ANNOTATIONS, default: ${DEFAULT-VALUE}).")
  List<String> egressKeys;

  @Option(names = "--ingress-annotation", paramLabel = "KEY[=quantity|mbps]", split = ",",
      defaultValue = "${env:BW_INGRESS_ANNOTATIONS:-kubernetes.io/ingress-bandwidth=quantity,ovn.kubernetes.io/ingress_rate=mbps}",
      description = "Ingress annotation keys in order of precedence (env BW_INGRESS_ANNOTATIONS, "
          + "default: ${DEFAULT-VALUE}).")
  List<String> ingressKeys;

  /** The rules these options describe. */
  public LedgerRules rules() {
    return new LedgerRules(
        new AnnotationKeys(
            egressKeys.stream().map(AnnotationKey::parse).toList(),
            ingressKeys.stream().map(AnnotationKey::parse).toList()),
        new DefaultCapacity(localUl, localDl, networkUl, networkDl));
  }
}
