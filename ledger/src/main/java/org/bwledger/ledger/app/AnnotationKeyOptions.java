package org.bwledger.ledger.app;

import java.util.List;
import org.bwledger.ledger.rules.AnnotationKey;
import org.bwledger.ledger.rules.AnnotationKeys;
import picocli.CommandLine.Option;

/**
 * Which annotations declare bandwidth: shared by every command that reads them, so the ledger, replay
 * and the scheduler extender always parse a pod alike.
 */
public final class AnnotationKeyOptions {

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

  /** The keys these options name. */
  public AnnotationKeys annotationKeys() {
    return new AnnotationKeys(
        egressKeys.stream().map(AnnotationKey::parse).toList(),
        ingressKeys.stream().map(AnnotationKey::parse).toList());
  }
}
