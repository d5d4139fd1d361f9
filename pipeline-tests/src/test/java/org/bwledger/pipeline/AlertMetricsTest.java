package org.bwledger.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.runtime.http.ServiceListeners;
import org.bwledger.testkit.MockCluster;
import org.bwledger.testkit.TestKafka;
import org.bwledger.testkit.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the chart's alerts and its Grafana dashboard name is one the components serve, from
 * their first scrape.
 */
@WithKafka
class AlertMetricsTest {

  private static final Pattern METRIC = Pattern.compile("\\bbwledger_[a-z_]+");

  @TempDir
  Path stateDir;

  @Test
  void theAlertsAndTheDashboardNameOnlyMetricsTheComponentsServe(TestKafka kafka) throws Exception {
    Set<String> named = new TreeSet<>();
    Matcher names = METRIC.matcher(Files.readString(Path.of("../helm/bwledger/templates/prometheusrule.yaml")));
    while (names.find()) {
      named.add(names.group());
    }
    Set<String> charted = new TreeSet<>();
    JsonNode dashboard = new ObjectMapper().readTree(Path.of("../helm/bwledger/dashboards/bwledger.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        Matcher metrics = METRIC.matcher(target.path("expr").asText());
        assertThat(metrics.find()).as(target.path("expr").asText()).isTrue();
        do {
          charted.add(metrics.group());
        } while (metrics.find());
      }
    }

    Set<String> served = new TreeSet<>();
    try (MockCluster cluster = new MockCluster();
         Pipeline pipeline = new Pipeline(kafka, cluster, "alerts.", stateDir)) {
      for (ServiceListeners listeners : new ServiceListeners[] {pipeline.ingest().listeners(),
          pipeline.ledger().listeners(), pipeline.projector().listeners()}) {
        Matcher metrics = METRIC.matcher(Scrape.of(listeners.apiPort()).exposition());
        while (metrics.find()) {
          served.add(metrics.group());
        }
      }
    }

    assertThat(named).contains("bwledger_ready", "bwledger_ledger_dead_letters_total", "bwledger_ledger_late_changes_total",
        "bwledger_ingest_kafka_refusing");
    assertThat(served).containsAll(named);
    assertThat(charted).contains("bwledger_ingest_events_published_total", "bwledger_ingest_backpressure",
        "bwledger_projector_ledger_lag_records", "bwledger_ledger_dead_letters_total",
        "bwledger_projector_status_writes_total", "bwledger_projector_status_lag_seconds",
        "bwledger_extender_requests_seconds", "bwledger_extender_binds_total",
        "bwledger_projector_nodes_oversubscribed");
    assertThat(served).containsAll(charted);
  }
}
