package org.bwledger.bwctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.bwledger.kube.crd.BandwidthCrd;
import org.junit.jupiter.api.Test;

/** The Helm chart, linted and rendered with helm-java, checked against what the components read and need. */
class HelmChartTest {

  private static final Path CHART = Path.of("../helm/bwledger");

  /** Every verb on every resource the components use; the chart may grant these and nothing else. */
  private static final Set<String> NEEDED = Set.of(
      "/pods:get", "/pods:list", "/pods:watch", "/nodes:get", "/nodes:list", "/nodes:watch",
      "networking.vaclab.org/bandwidths:get", "networking.vaclab.org/bandwidths:list",
      "networking.vaclab.org/bandwidths:watch", "networking.vaclab.org/bandwidths:create",
      "networking.vaclab.org/bandwidths:patch", "networking.vaclab.org/bandwidths/status:update",
      "coordination.k8s.io/leases:get", "coordination.k8s.io/leases:create", "coordination.k8s.io/leases:update");

  private final YAMLMapper yaml = new YAMLMapper();

  @Test
  void strictLintPasses() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultValuesRenderTheThreeComponentsNonRootReadOnlyWithNothingAdded() throws IOException {
    List<JsonNode> manifests = render(Map.of());

    assertThat(manifests).extracting(m -> m.path("kind").asText() + "/" + m.path("metadata").path("name").asText())
        .contains("ServiceAccount/release-bwledger", "ClusterRole/release-bwledger",
            "ClusterRoleBinding/release-bwledger", "Deployment/release-bwledger-ingest",
            "StatefulSet/release-bwledger-ledger", "StatefulSet/release-bwledger-projector",
            "Service/release-bwledger-projector");
    assertHardened(manifests);
  }

  /** Every workload runs as non-root, read-only, with nothing added, memory bounded and probed. */
  private static void assertHardened(List<JsonNode> manifests) {
    for (JsonNode workload : workloads(manifests)) {
      JsonNode pod = workload.at("/spec/template/spec");
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
      for (JsonNode container : pod.path("containers")) {
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop")).extracting(JsonNode::asText).containsExactly("ALL");
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        if (!container.path("ports").isEmpty()) {
          assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
          assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        }
      }
    }
  }

  @Test
  void everyOptionalFeatureRendersToo() throws IOException {
    List<JsonNode> manifests = render(Map.of("serviceMonitor.enabled", true, "strimzi.topics", true,
        "kafka.propertiesSecret.name", "kafka-client", "ingest.namespaces[0]", "lab", "scheduler.enabled", true,
        "nodeMarking.taint", true));

    assertThat(manifests).extracting(m -> m.path("kind").asText())
        .contains("ServiceMonitor", "KafkaTopic");
    assertThat(manifests).extracting(m -> m.path("kind").asText() + "/" + m.path("metadata").path("name").asText())
        .contains("Deployment/release-bwledger-scheduler", "ConfigMap/release-bwledger-scheduler",
            "Service/release-bwledger-projector-headless");
    assertHardened(manifests);
    assertThat(manifests).filteredOn(m -> m.path("kind").asText().equals("KafkaTopic"))
        .extracting(m -> m.at("/spec/topicName").asText())
        .containsExactlyInAnyOrder("bw.cluster-events", "bw.node-bandwidth", "bw.dead-letters");
    JsonNode ingest = container(manifests, "ingest");
    assertThat(env(ingest, "BW_KAFKA_PROPERTIES").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("kafka-client");
    assertThat(env(ingest, "BW_NAMESPACES").path("value").asText()).isEqualTo("lab");
  }

  @Test
  void theRoleGrantsNoVerbBeyondWhatTheComponentsUse() throws IOException {
    assertThat(granted(render(Map.of()))).isEqualTo(NEEDED);

    Set<String> withExtender = new TreeSet<>(NEEDED);
    withExtender.add("/pods/binding:create");
    assertThat(granted(render(Map.of("scheduler.enabled", true)))).isEqualTo(withExtender);

    Set<String> withMarks = new TreeSet<>(NEEDED);
    withMarks.add("/nodes:update");
    assertThat(granted(render(Map.of("nodeMarking.labels", true)))).isEqualTo(withMarks);
  }

  @Test
  void theSecondSchedulerRunsTheSampleConfiguration() throws IOException {
    List<JsonNode> manifests = render("bwledger", "bwledger", Map.of("scheduler.enabled", true));
    JsonNode configMap = manifests.stream()
        .filter(m -> m.path("kind").asText().equals("ConfigMap")
            && m.at("/metadata/name").asText().equals("bwledger-scheduler"))
        .findFirst().orElseThrow();

    assertThat(yaml.readTree(configMap.at("/data/config.yaml").asText()))
        .isEqualTo(yaml.readTree(Files.readString(Path.of("../deploy/kube-scheduler-config.yaml"))));
    JsonNode projector = workloads(manifests).stream()
        .filter(w -> w.at("/metadata/name").asText().equals("bwledger-projector")).findFirst().orElseThrow();
    assertThat(projector.at("/spec/serviceName").asText()).isEqualTo("bwledger-projector-headless");
  }

  /** Every {@code group/resource:verb} the chart's roles grant. */
  private static Set<String> granted(List<JsonNode> manifests) {
    Set<String> granted = new TreeSet<>();
    for (JsonNode role : manifests) {
      if (!role.path("kind").asText().endsWith("Role")) {
        continue;
      }
      for (JsonNode rule : role.path("rules")) {
        for (JsonNode group : rule.path("apiGroups")) {
          for (JsonNode resource : rule.path("resources")) {
            for (JsonNode verb : rule.path("verbs")) {
              granted.add(group.asText() + "/" + resource.asText() + ":" + verb.asText());
            }
          }
        }
      }
    }

    return granted;
  }

  @Test
  void everyVariableTheChartSetsIsOneItsComponentReads() throws IOException {
    List<JsonNode> manifests = render(Map.of("kafka.properties.security\\.protocol", "SSL",
        "ingest.namespaces[0]", "lab", "nodeMarking.labels", true));
    for (String component : ComponentVariables.COMPONENTS) {
      JsonNode container = container(manifests, component);
      assertThat(container.path("args")).extracting(JsonNode::asText).containsExactly(component);
      List<String> set = new ArrayList<>();
      container.path("env").forEach(variable -> set.add(variable.path("name").asText()));
      assertThat(set).as("%s's variables", component).isNotEmpty()
          .allMatch(name -> ComponentVariables.readBy(component).contains(name)
              || ComponentVariables.OTHERS.containsKey(name));
    }
  }

  @Test
  void theChartShipsTheProjectorsCrd() throws IOException {
    try (InputStream crd = BandwidthCrd.class.getResourceAsStream(BandwidthCrd.RESOURCE)) {
      assertThat(Files.readString(CHART.resolve("crds/bandwidths.networking.vaclab.org.yaml")))
          .isEqualTo(new String(crd.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private List<JsonNode> render(Map<String, Object> values) throws IOException {
    return render("release", "bw", values);
  }

  private List<JsonNode> render(String release, String namespace, Map<String, Object> values) throws IOException {
    TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace(namespace);
    values.forEach(template::set);
    List<JsonNode> manifests = new ArrayList<>();
    try (var documents = yaml.readValues(yaml.getFactory().createParser(template.call()), JsonNode.class)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isEmpty()) {
          manifests.add(document);
        }
      }
    }
    return manifests;
  }

  private static List<JsonNode> workloads(List<JsonNode> manifests) {
    return manifests.stream().filter(m -> Set.of("Deployment", "StatefulSet").contains(m.path("kind").asText()))
        .toList();
  }

  private static JsonNode container(List<JsonNode> manifests, String component) {
    return workloads(manifests).stream()
        .flatMap(w -> StreamSupport.stream(w.at("/spec/template/spec/containers").spliterator(), false))
        .filter(c -> c.path("name").asText().equals(component))
        .findFirst().orElseThrow();
  }

  private static JsonNode env(JsonNode container, String name) {
    for (JsonNode variable : container.path("env")) {
      if (variable.path("name").asText().equals(name)) {
        return variable;
      }
    }
    throw new AssertionError(name + " is not set in " + container.path("name").asText());
  }
}
