package org.bwledger.ingest.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.bwledger.ingest.traffic.TrafficSettings;
import org.bwledger.runtime.auth.AuthSettings;
import org.bwledger.runtime.options.AnnotationKeyOptions;
import org.bwledger.runtime.options.AuthOptions;
import org.bwledger.runtime.options.ConfigDefaults;
import org.bwledger.runtime.options.HttpOptions;
import org.bwledger.runtime.options.KafkaOptions;
import org.bwledger.runtime.options.KubernetesOptions;
import org.bwledger.runtime.process.ProcessLifecycle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bwctl ingest}: watches the cluster and appends every pod, node and
 * Bandwidth change to {@code bw.cluster-events}.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    defaultValueProvider = IngestCommand.Defaults.class,
    description = "Runs ingest: watches pods, nodes and Bandwidth objects and appends each change to the "
        + "cluster-events topic, until interrupted. Every flag can also be set with the environment variable it names.")
public final class IngestCommand implements Callable<Integer> {

  /** The defaults of {@link IngestConfig#defaults()}. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(KafkaOptions.defaults(IngestConfig.defaults().kafka()),
          AnnotationKeyOptions.defaults(IngestConfig.defaults().annotationKeys()),
          HttpOptions.defaults(IngestConfig.defaults().serving()),
          AuthOptions.defaults(AuthSettings.defaults()),
          Map.of("--buffered-events", String.valueOf(IngestConfig.defaults().bufferedEvents())));
    }
  }

  @Mixin
  KafkaOptions kafka;

  @Mixin
  KubernetesOptions kubernetes;

  @Option(names = "--namespace", paramLabel = "NS", split = ",", defaultValue = "${env:BW_NAMESPACES}",
      description = "Namespaces whose pods are watched (env BW_NAMESPACES, comma-separated; default: all).")
  List<String> namespaces = new ArrayList<>();

  @Mixin
  AnnotationKeyOptions annotations;

  @Option(names = "--buffered-events", paramLabel = "N", defaultValue = "${env:BW_BUFFERED_EVENTS}",
      description = "Events held for Kafka at most; past that the watches wait (env BW_BUFFERED_EVENTS, "
          + "default: ${DEFAULT-VALUE}).")
  int bufferedEvents;

  @Option(names = "--node-exporter-selector", paramLabel = "SELECTOR", defaultValue = "${env:BW_NODE_EXPORTER_SELECTOR}",
      description = "Sample every node's traffic from the node-exporter pods with these labels, one a node, e.g. "
          + "app.kubernetes.io/name=node-exporter (env BW_NODE_EXPORTER_SELECTOR; default: sample none).")
  String nodeExporterSelector;

  @Option(names = "--node-exporter-namespace", paramLabel = "NS", defaultValue = "${env:BW_NODE_EXPORTER_NAMESPACE}",
      description = "Their namespace (env BW_NODE_EXPORTER_NAMESPACE; default: any).")
  String nodeExporterNamespace;

  @Option(names = "--node-exporter-port", paramLabel = "PORT", defaultValue = "${env:BW_NODE_EXPORTER_PORT:-9100}",
      description = "The port they serve /metrics on (env BW_NODE_EXPORTER_PORT, default: ${DEFAULT-VALUE}).")
  int nodeExporterPort;

  @Option(names = "--prometheus-url", paramLabel = "URL", defaultValue = "${env:BW_PROMETHEUS_URL}",
      description = "Sample every node's traffic from this Prometheus instead, which scrapes node-exporter, e.g. "
          + "http://prometheus-operated.monitoring:9090 (env BW_PROMETHEUS_URL; default: none).")
  URI prometheusUrl;

  @Option(names = "--prometheus-node-label", paramLabel = "LABEL",
      defaultValue = "${env:BW_PROMETHEUS_NODE_LABEL:-instance}",
      description = "The label of node-exporter's series that names the node (env BW_PROMETHEUS_NODE_LABEL, "
          + "default: ${DEFAULT-VALUE}, as kube-prometheus-stack relabels it).")
  String prometheusNodeLabel;

  @Option(names = "--traffic-interval", paramLabel = "DURATION", defaultValue = "${env:BW_TRAFFIC_INTERVAL:-PT10S}",
      description = "How often every node is sampled, ISO-8601 (env BW_TRAFFIC_INTERVAL, default: ${DEFAULT-VALUE}).")
  Duration trafficInterval;

  @Option(names = "--traffic-interfaces", paramLabel = "REGEX", defaultValue = "${env:BW_TRAFFIC_INTERFACES}",
      description = "The network devices counted (env BW_TRAFFIC_INTERFACES; default: all but loopback and the "
          + "virtual ones of container runtimes, CNIs, bridges and tunnels).")
  Pattern trafficInterfaces;

  @Mixin
  HttpOptions http;

  @Mixin
  AuthOptions auth;

  /** The typed configuration these flags and variables give. */
  public IngestConfig config() {
    TrafficSettings.Source source = prometheusUrl != null
        ? new TrafficSettings.Prometheus(prometheusUrl, prometheusNodeLabel)
        : nodeExporterSelector == null || nodeExporterSelector.isBlank() ? null
        : new TrafficSettings.NodeExporters(nodeExporterSelector, nodeExporterNamespace, nodeExporterPort);
    TrafficSettings traffic = source == null ? null : new TrafficSettings(source, trafficInterval,
        trafficInterfaces == null ? TrafficSettings.PHYSICAL : trafficInterfaces);
    return new IngestConfig(kafka.settings(), annotations.annotationKeys(), namespaces, bufferedEvents,
        http.settings(), traffic);
  }

  /** Runs until SIGTERM or Ctrl-C. */
  @Override
  public Integer call() throws Exception {
    return ProcessLifecycle.run("ingest", process -> {
      KubernetesClient client = process.closeLater(kubernetes.client());
      return new IngestService(config(), client, auth.settings().guard(() -> client), Clock.systemUTC());
    });
  }
}
