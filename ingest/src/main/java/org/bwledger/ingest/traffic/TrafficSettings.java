package org.bwledger.ingest.traffic;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where ingest reads what nodes carry: node-exporter, one pod a node (a DaemonSet), found by label.
 *
 * @param selector the label selector of the node-exporter pods, e.g. {@code app.kubernetes.io/name=node-exporter}
 * @param namespace their namespace; null for any
 * @param port the port each serves {@code /metrics} on
 * @param interval how often every node is sampled
 * @param interfaces the network devices counted; by default every one but the virtual ones
 */
public record TrafficSettings(String selector, String namespace, int port, Duration interval, Pattern interfaces) {

  /** Loopback, and the devices container runtimes, CNIs, bridges and tunnels create. */
  public static final Pattern PHYSICAL = Pattern.compile("(?!(lo|veth.*|docker.*|br-.*|cni.*|flannel.*|cali.*|vxlan.*"
      + "|tunl.*|kube-.*|virbr.*|ovs-.*|ovn.*|genev_sys.*|ifb.*|tap.*|tun.*|dummy.*|cilium_.*|lxc.*|weave.*|wg.*"
      + "|nodelocaldns)$).+");

  public TrafficSettings {
    if (selector == null || selector.isBlank()) {
      throw new IllegalArgumentException("a traffic source needs the label selector of its node-exporter pods");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("node-exporter's port must be in [1, 65535], not " + port);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the sampling interval must be positive, not " + interval);
    }
  }

  /** Whether {@code device} is counted. */
  public boolean counts(String device) {
    return interfaces.matcher(device).matches();
  }
}
