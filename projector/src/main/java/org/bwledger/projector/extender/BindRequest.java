package org.bwledger.projector.extender;

import java.util.regex.Pattern;
import org.bwledger.projector.extender.ExtenderProtocol.BindingArgs;

/**
 * What a bind call names, checked before any of it goes near the API server: the namespace a DNS
 * label, the pod and the node DNS subdomains, the uid a plain token. Nothing else a caller says is
 * believed; the pod itself is read from the API server.
 */
public record BindRequest(String namespace, String pod, String uid, String node) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9-]{1,128}");

  /**
   * The request {@code args} make.
   *
   * @throws SchedulerExtender.Refused (400) when a name is missing or not one Kubernetes allows
   */
  public static BindRequest of(BindingArgs args) {
    if (args == null) {
      throw new SchedulerExtender.Refused(400, "the bind request needs PodName, PodNamespace, PodUID and Node");
    }
    return new BindRequest(
        checked("PodNamespace", args.podNamespace(), DNS_LABEL, 63),
        checked("PodName", args.podName(), DNS_SUBDOMAIN, 253),
        checked("PodUID", args.podUid(), UID, 128),
        checked("Node", args.node(), DNS_SUBDOMAIN, 253));
  }

  private static String checked(String field, String value, Pattern form, int longest) {
    if (value == null || value.isEmpty()) {
      throw new SchedulerExtender.Refused(400, "the bind request has no " + field);
    }
    if (value.length() > longest || !form.matcher(value).matches()) {
      throw new SchedulerExtender.Refused(400, field + " is not a name Kubernetes allows");
    }
    return value;
  }

  @Override
  public String toString() {
    return namespace + "/" + pod + " (uid " + uid + ") to " + node;
  }
}
