package org.bwledger.schemas.annotation;

import java.util.List;
import java.util.stream.Stream;

/**
 * The annotation keys that declare a pod's bandwidth, per direction, in order of precedence: for
 * each direction the first key present on the pod wins (DESIGN §4.1).
 *
 * @param egress uplink (UL) keys
 * @param ingress downlink (DL) keys
 */
public record AnnotationKeys(List<AnnotationKey> egress, List<AnnotationKey> ingress) {

  /** {@code kubernetes.io/*-bandwidth} first, then KubeOVN's {@code ovn.kubernetes.io/*_rate}. */
  public static final AnnotationKeys DEFAULT =
      new AnnotationKeys(
          List.of(
              new AnnotationKey("kubernetes.io/egress-bandwidth", AnnotationKey.Format.QUANTITY),
              new AnnotationKey("ovn.kubernetes.io/egress_rate", AnnotationKey.Format.MBPS)),
          List.of(
              new AnnotationKey("kubernetes.io/ingress-bandwidth", AnnotationKey.Format.QUANTITY),
              new AnnotationKey("ovn.kubernetes.io/ingress_rate", AnnotationKey.Format.MBPS)));

  public AnnotationKeys {
    egress = List.copyOf(egress);
    ingress = List.copyOf(ingress);
  }

  /** Every key of either direction. */
  public Stream<AnnotationKey> all() {
    return Stream.concat(egress.stream(), ingress.stream());
  }
}
