package org.bwledger.ingest.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bwledger.schemas.event.InterfaceCounters;
import org.junit.jupiter.api.Test;

/** node-exporter's text exposition, read for its network byte counters. */
class NodeExporterMetricsTest {

  @Test
  void readsBothByteCountersOfEachDeviceCountedFromARealExposition() throws Exception {
    // as Debian's prometheus-node-exporter 1.5 served it on this project's CI machine
    String exposition = Files.readString(Path.of("src/test/resources/traffic/node-exporter-1.5.txt"));

    assertThat(NodeExporterMetrics.interfaces(exposition, device -> true)).containsExactly(
        new InterfaceCounters("eth0", 1_314_921L, 447_760_639L),
        new InterfaceCounters("ifb0", 0L, 0L),
        new InterfaceCounters("ifb1", 0L, 0L));
    assertThat(NodeExporterMetrics.interfaces(exposition, device -> TrafficSettings.PHYSICAL.matcher(device).matches()))
        .extracting(InterfaceCounters::getName).containsExactly("eth0");
  }

  @Test
  void otherLabelsEscapesAndADeviceMissingACounterAreHandled() {
    String exposition = String.join("\n",
        "node_network_transmit_bytes_total{device=\"a\\\"b\",instance=\"x\"} 12",
        "node_network_receive_bytes_total{instance=\"x\",device=\"a\\\"b\"} 3.5e+01",
        "node_network_transmit_bytes_total{device=\"half\"} 7",
        "node_network_transmit_packets_total{device=\"eth0\"} 99",
        "node_network_receive_bytes_totals{device=\"eth0\"} 99");

    assertThat(NodeExporterMetrics.interfaces(exposition, device -> true))
        .containsExactly(new InterfaceCounters("a\"b", 12L, 35L));
  }

  @Test
  void aCounterThatIsNotANumberIsRefusedWithItsLine() {
    assertThatThrownBy(() -> NodeExporterMetrics.interfaces(
        "node_network_transmit_bytes_total{device=\"eth0\"} lots", device -> true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device=\"eth0\"} lots");
    assertThatThrownBy(() -> NodeExporterMetrics.interfaces(
        "node_network_transmit_bytes_total{device=\"eth0\"} -1", device -> true))
        .hasMessageContaining("a byte counter of -1");
  }
}
