package org.bwledger.ingest.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.bwledger.ingest.traffic.TrafficSettings;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServingSettings;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.annotation.AnnotationKeys;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestCommandTest {

  @Test
  void withoutFlagsIngestWatchesEveryNamespaceAndWritesToALocalBrokerWithoutLosingOrReordering() {
    IngestConfig config = parse();

    assertThat(config).isEqualTo(new IngestConfig(new KafkaSettings("localhost:9092", "bw.", 6, Map.of()),
        AnnotationKeys.DEFAULT, List.of(), 100_000, ServingSettings.everywhere(8081, 8181), null));
    assertThat(config.producerProperties())
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
  }

  @Test
  void flagsSetEveryFieldAndAnnotationKeysAreTakenAsTheLedgerWritesThem() {
    IngestConfig config = parse(
        "--bootstrap-servers", "kafka-0:9093",
        "--topic-prefix", "lab.",
        "--partitions", "12",
        "--kafka", "security.protocol=SASL_SSL,linger.ms=20",
        "--namespace", "p2p,bench",
        "--egress-annotation", "example.com/up=mbps,kubernetes.io/egress-bandwidth=quantity",
        "--ingress-annotation", "example.com/down",
        "--buffered-events", "500",
        "--http-host", "127.0.0.1",
        "--http-port", "9000",
        "--probe-port", "9001");

    assertThat(config.kafka()).isEqualTo(new KafkaSettings("kafka-0:9093", "lab.", 12,
        Map.of("security.protocol", "SASL_SSL", "linger.ms", "20")));
    assertThat(config.bandwidthAnnotations())
        .isEqualTo(Set.of("example.com/up", "kubernetes.io/egress-bandwidth", "example.com/down"));
    assertThat(config.namespaces()).containsExactly("p2p", "bench");
    assertThat(config.bufferedEvents()).isEqualTo(500);
    assertThat(config.serving()).isEqualTo(new ServingSettings(new HttpSettings("127.0.0.1", 9000),
        new HttpSettings("127.0.0.1", 9001)));
    assertThat(config.kafka().topics().clusterEvents().name()).isEqualTo("lab.cluster-events");
    assertThat(config.producerProperties()).containsEntry("linger.ms", "20").containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void aNodeExporterSelectorSamplesTrafficEveryTenSecondsFromThePhysicalInterfaces() {
    TrafficSettings traffic = parse("--node-exporter-selector", "app.kubernetes.io/name=node-exporter",
        "--node-exporter-namespace", "monitoring").traffic();

    assertThat(traffic.source()).isEqualTo(
        new TrafficSettings.NodeExporters("app.kubernetes.io/name=node-exporter", "monitoring", 9100));
    assertThat(traffic.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(List.of("eth0", "ens5", "eno1", "bond0", "enp3s0f1")).allMatch(traffic::counts);
    assertThat(List.of("lo", "veth3f2a", "cali12ab", "cni0", "flannel.1", "docker0", "br-1a2b", "vxlan.calico",
        "tunl0", "ifb0", "kube-ipvs0", "cilium_host", "genev_sys_6081", "ovn-k8s-mp0")).noneMatch(traffic::counts);
  }

  @Test
  void trafficFlagsSetTheSampling() {
    TrafficSettings traffic = parse("--node-exporter-selector", "app=ne", "--node-exporter-port", "9200",
        "--traffic-interval", "PT30S", "--traffic-interfaces", "eth[0-9]+").traffic();

    assertThat(traffic.source()).isEqualTo(new TrafficSettings.NodeExporters("app=ne", null, 9200));
    assertThat(traffic.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(traffic.counts("eth1")).isTrue();
    assertThat(traffic.counts("ens5")).isFalse();
  }

  @Test
  void aPrometheusUrlSamplesTrafficFromPrometheusByItsInstanceLabel() {
    TrafficSettings traffic = parse("--prometheus-url", "http://prometheus-operated.monitoring:9090").traffic();

    assertThat(traffic.source()).isEqualTo(
        new TrafficSettings.Prometheus(URI.create("http://prometheus-operated.monitoring:9090"), "instance"));
    assertThat(traffic.interval()).isEqualTo(Duration.ofSeconds(10));
  }

  private static IngestConfig parse(String... args) {
    IngestCommand command = new IngestCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }
}
