package org.bwledger.runtime.options;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.annotation.AnnotationKeys;
import picocli.CommandLine.Option;

/**
 * Which annotations declare bandwidth: shared by every command that reads them, so ingest carries
 * what the ledger, replay and the scheduler extender parse, and all of them parse a pod alike.
 */
public final class AnnotationKeyOptions {

  @Option(names = "--egress-annotation", paramLabel = "KEY[=quantity|mbps]", split = ",",
      defaultValue = "${env:BW_EGRESS_ANNOTATIONS}",
      description = "Egress annotation keys in order of precedence, each a Kubernetes quantity in bit/s or "
          + "plain Mbit/s (env BW_EGRESS_ANNOTATIONS, default: ${DEFAULT-VALUE}).")
  List<String> egressKeys;

  @Option(names = "--ingress-annotation", paramLabel = "KEY[=quantity|mbps]", split = ",",
      defaultValue = "${env:BW_INGRESS_ANNOTATIONS}",
      description = "Ingress annotation keys in order of precedence (env BW_INGRESS_ANNOTATIONS, "
          + "default: ${DEFAULT-VALUE}).")
  List<String> ingressKeys;

  /** The defaults of these options, from {@code defaults}. */
  public static Map<String, String> defaults(AnnotationKeys defaults) {
    return Map.of(
        "--egress-annotation", join(defaults.egress()),
        "--ingress-annotation", join(defaults.ingress()));
  }

  /** The keys these options name. */
  public AnnotationKeys annotationKeys() {
    return new AnnotationKeys(
        egressKeys.stream().map(AnnotationKey::parse).toList(),
        ingressKeys.stream().map(AnnotationKey::parse).toList());
  }

  private static String join(List<AnnotationKey> keys) {
    return keys.stream().map(AnnotationKey::toString).collect(Collectors.joining(","));
  }
}
