package org.bwledger.bwctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bwledger.testkit.TestKafka;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, read as Docker Compose would: services, images, ports, order, and variables. */
class DockerComposeTest {

  private static final Path COMPOSE = Path.of("../docker-compose.yml");

  private final JsonNode services = new YAMLMapper().readTree(COMPOSE.toFile()).path("services");

  DockerComposeTest() throws IOException {}

  @Test
  void kafkaK3sAndTheThreeComponentsRunFromTheirImages() {
    assertThat(services.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("certs", "kafka", "k3s", "kubeconfigs", "ingest", "ledger", "projector", "scheduler");
    assertThat(services.at("/kafka/image").asText()).isEqualTo(TestKafka.IMAGE);
    assertThat(services.at("/k3s/image").asText()).startsWith("rancher/k3s:");
    for (String component : ComponentVariables.COMPONENTS) {
      assertThat(services.at("/" + component + "/image").asText()).startsWith("bwledger/bwledger:");
      assertThat(services.at("/" + component + "/command")).extracting(JsonNode::asText).containsExactly(component);
    }
  }

  @Test
  void theApiIsPublishedOnLoopbackOnlyAndEachComponentWaitsForWhatItNeeds() {
    assertThat(services.at("/projector/ports")).extracting(JsonNode::asText).containsExactly("127.0.0.1:8080:8080");
    assertThat(services.at("/ingest/ports")).extracting(JsonNode::asText).containsExactly("127.0.0.1:8081:8081");
    assertThat(services.at("/k3s/ports")).extracting(JsonNode::asText).containsExactly("127.0.0.1:6443:6443");
    services.forEach(service -> assertThat(service.path("ports")).extracting(JsonNode::asText)
        .allMatch(port -> port.startsWith("127.0.0.1:")));
    for (String component : ComponentVariables.COMPONENTS) {
      assertThat(services.at("/" + component + "/depends_on").fieldNames()).toIterable()
          .as(component).containsExactlyInAnyOrder("certs", "kubeconfigs", "kafka");
      assertThat(services.at("/" + component + "/depends_on/certs/condition").asText())
          .isEqualTo("service_completed_successfully");
    }
    assertThat(services.at("/kafka/healthcheck/test").size()).isPositive();
    assertThat(services.at("/k3s/volumes")).extracting(JsonNode::asText)
        .anyMatch(volume -> volume.startsWith("./helm/bwledger/crds/bandwidths.networking.vaclab.org.yaml:"));
    assertThat(Files.exists(COMPOSE.resolveSibling("helm/bwledger/crds/bandwidths.networking.vaclab.org.yaml"))).isTrue();
  }

  /** The components check tokens with k3s and speak TLS; the extender serves only the CA's clients. */
  @Test
  void everyComponentServesTlsWithTheCertificatesCertsMakes() throws IOException {
    String script = Files.readString(COMPOSE.resolveSibling("deploy/compose/certs.sh"));
    assertThat(services.at("/certs/volumes")).extracting(JsonNode::asText)
        .contains("./deploy/compose/certs.sh:/certs.sh:ro", "certs:/certs");
    for (String component : ComponentVariables.COMPONENTS) {
      JsonNode service = services.path(component);
      assertThat(service.path("volumes")).extracting(JsonNode::asText).contains("certs:/certs:ro");
      assertThat(service.at("/environment/BW_TLS_CERT_FILE").asText()).isEqualTo("/certs/serving/tls.crt");
      assertThat(service.at("/environment/BW_TLS_KEY_FILE").asText()).isEqualTo("/certs/serving/tls.key");
    }
    assertThat(services.at("/projector/environment/BW_EXTENDER_CLIENT_CA_FILE").asText())
        .isEqualTo("/certs/serving/ca.crt");
    assertThat(script).contains("issue serving ", "issue scheduler ", "cp ca.crt \"$1/ca.crt\"");
  }

  /**
   * No component holds k3s's admin kubeconfig: each has one of its own ServiceAccount, whose roles
   * (rbac.yaml) grant what the chart's grant it with the second scheduler on, no more.
   */
  @Test
  void eachComponentActsAsItsOwnServiceAccountWithTheChartsRights() throws IOException {
    for (String component : ComponentVariables.COMPONENTS) {
      JsonNode service = services.path(component);
      assertThat(service.at("/environment/KUBECONFIG").asText()).isEqualTo("/kubeconfigs/" + component + ".yaml");
      assertThat(service.path("volumes")).extracting(JsonNode::asText)
          .contains("kubeconfigs:/kubeconfigs:ro").noneMatch(volume -> volume.startsWith("k3s-output:"));
      assertThat(service.at("/depends_on/kubeconfigs/condition").asText()).isEqualTo("service_completed_successfully");
    }
    assertThat(services.at("/scheduler/volumes")).extracting(JsonNode::asText)
        .noneMatch(volume -> volume.startsWith("k3s-output:"));
    assertThat(Files.readString(COMPOSE.resolveSibling("deploy/compose/kubeconfigs.sh")))
        .contains("for account in ingest ledger projector scheduler");

    Map<String, Set<String>> composed = Manifests.grantsByAccount(
        Manifests.ofFile(COMPOSE.resolveSibling("deploy/compose/rbac.yaml")));
    List<JsonNode> rendered = Manifests.ofChart("bwledger", "bwledger", Map.of("scheduler.enabled", true));
    Map<String, Set<String>> chart = Manifests.grantsByAccount(rendered);
    for (String component : ComponentVariables.COMPONENTS) {
      assertThat(composed.get(component)).as(component).isNotEmpty().isEqualTo(chart.get("bwledger-" + component));
    }
    JsonNode reader = rendered.stream().filter(m -> m.at("/metadata/name").asText().equals("bwledger-reader"))
        .findFirst().orElseThrow();
    assertThat(composed.get("bwledger-reader")).isEqualTo(Manifests.grants(reader, ""));
    assertThat(services.at("/k3s/volumes")).extracting(JsonNode::asText)
        .contains("./deploy/compose/rbac.yaml:/var/lib/rancher/k3s/server/manifests/bwledger-rbac.yaml:ro");
  }

  @Test
  void everyVariableIsOneTheComponentReadsAndKafkaIsTheComposedBroker() {
    for (String component : ComponentVariables.COMPONENTS) {
      JsonNode environment = services.at("/" + component + "/environment");
      List<String> names = new ArrayList<>();
      environment.fieldNames().forEachRemaining(names::add);
      assertThat(names).as("%s's variables", component).isNotEmpty()
          .allMatch(name -> ComponentVariables.readBy(component).contains(name)
              || ComponentVariables.OTHERS.containsKey(name));
      assertThat(environment.path("BW_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
    }
  }

  @Test
  void theSecondSchedulerRunsTheSampleConfigurationAgainstTheComposedProjector() throws IOException {
    JsonNode scheduler = services.path("scheduler");
    assertThat(scheduler.path("image").asText()).startsWith("registry.k8s.io/kube-scheduler:");
    assertThat(scheduler.path("command")).extracting(JsonNode::asText)
        .contains("--config=/etc/bwledger/kube-scheduler-config.yaml");
    assertThat(scheduler.path("depends_on").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("kubeconfigs", "projector");
    assertThat(scheduler.path("volumes")).extracting(JsonNode::asText)
        .contains("./deploy/compose/kube-scheduler-config.yaml:/etc/bwledger/kube-scheduler-config.yaml:ro");

    YAMLMapper yaml = new YAMLMapper();
    ObjectNode composed = (ObjectNode) yaml.readTree(COMPOSE.resolveSibling("deploy/compose/kube-scheduler-config.yaml")
        .toFile());
    ObjectNode sample = (ObjectNode) yaml.readTree(COMPOSE.resolveSibling("deploy/kube-scheduler-config.yaml").toFile());
    assertThat(composed.at("/extenders/0/urlPrefix").asText()).isEqualTo("https://projector:8443/scheduler");
    assertThat(composed.at("/clientConnection/kubeconfig").asText()).isEqualTo("/kubeconfigs/scheduler.yaml");
    assertThat(composed.at("/extenders/0/tlsConfig").toString())
        .isEqualTo("{\"certFile\":\"/certs/scheduler/tls.crt\",\"keyFile\":\"/certs/scheduler/tls.key\","
            + "\"caFile\":\"/certs/scheduler/ca.crt\"}");
    // Otherwise the same as the sample: only where the projector, its certificates and the API server are differs.
    composed.remove("clientConnection");
    for (ObjectNode extender : List.of((ObjectNode) composed.at("/extenders/0"), (ObjectNode) sample.at("/extenders/0"))) {
      extender.remove(List.of("urlPrefix", "tlsConfig"));
    }
    assertThat(composed).isEqualTo(sample);
  }
}
