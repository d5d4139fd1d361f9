package org.bwledger.ingest.traffic;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where and how often ingest reads what nodes carry.
 *
 * @param source node-exporter's pods, read one by one, or a Prometheus that scrapes them
 * @param interval how often every node is sampled
 * @param interfaces the network devices counted; by default every one but the virtual ones
 */
public record TrafficSettings(Source source, Duration interval, Pattern interfaces) {

  /** Loopback, and the devices container runtimes, CNIs, bridges and tunnels create. */
  public static final Pattern PHYSICAL = Pattern.compile("(?!(lo|veth.*|docker.*|br-.*|cni.*|flannel.*|cali.*|vxlan.*"
      + "|tunl.*|kube-.*|virbr.*|ovs-.*|ovn.*|genev_sys.*|ifb.*|tap.*|tun.*|dummy.*|cilium_.*|lxc.*|weave.*|wg.*"
      + "|nodelocaldns)$).+");

  /** Where the counters are read. */
  public sealed interface Source permits NodeExporters, Prometheus {}

  /**
   * node-exporter, one pod a node (a DaemonSet), found by label through the Kubernetes API.
   *
   * @param selector the label selector of the node-exporter pods, e.g. {@code app.kubernetes.io/name=node-exporter}
   * @param namespace their namespace; null for any
   * @param port the port each serves {@code /metrics} on
   */
  public record NodeExporters(String selector, String namespace, int port) implements Source {
    public NodeExporters {
      if (selector == null || selector.isBlank()) {
        throw new IllegalArgumentException("a traffic source needs the label selector of its node-exporter pods");
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("node-exporter's port must be in [1, 65535], not " + port);
      }
    }
  }

  /**
   * A Prometheus that scrapes node-exporter (kube-prometheus-stack's), asked through its HTTP API.
   *
   * @param url its base URL, e.g. {@code http://prometheus-operated.monitoring:9090}
   * @param nodeLabel the series label that names the node ({@code instance} in kube-prometheus-stack)
   */
  public record Prometheus(URI url, String nodeLabel) implements Source {}

  public TrafficSettings {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the sampling interval must be positive, not " + interval);
    }
  }

  /** Whether {@code device} is counted. */
  public boolean counts(String device) {
    return interfaces.matcher(device).matches();
  }
}
