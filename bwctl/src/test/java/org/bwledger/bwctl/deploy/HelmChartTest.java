package org.bwledger.bwctl.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.NewTopic;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.runtime.auth.Access;
import org.bwledger.schemas.topic.Topics;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;
import org.bwledger.runtime.http.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm chart, linted and rendered with helm-java, checked against what the components read and need. */
class HelmChartTest {


  /** Asking the API server who calls and whether they may: every component serves /metrics. */
  private static final Set<String> REVIEWS = Set.of(
      "authentication.k8s.io/tokenreviews:create", "authorization.k8s.io/subjectaccessreviews:create");

  /** Every verb on every resource each component uses; the chart may grant these and nothing else. */
  private static final Map<String, Set<String>> NEEDED = Map.of(
      "ingest", union(REVIEWS, Set.of("/pods:list", "/pods:watch", "/nodes:list", "/nodes:watch",
          "networking.vaclab.org/bandwidths:list", "networking.vaclab.org/bandwidths:watch")),
      "ledger", REVIEWS,
      "projector", union(REVIEWS, Set.of("/nodes:get", "networking.vaclab.org/bandwidths:get",
          "networking.vaclab.org/bandwidths:create", "networking.vaclab.org/bandwidths/status:update",
          "namespaced:coordination.k8s.io/leases:get", "namespaced:coordination.k8s.io/leases:create",
          "namespaced:coordination.k8s.io/leases:update")));

  private final YAMLMapper yaml = new YAMLMapper();

  @TempDir
  Path dir;

  @Test
  void strictLintPasses() {
    LintResult lint = new Helm(Manifests.CHART).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultValuesRenderTheThreeComponentsNonRootReadOnlyWithNothingAdded() throws IOException {
    List<JsonNode> manifests = render(Map.of());

    assertThat(manifests).extracting(m -> m.path("kind").asText() + "/" + m.path("metadata").path("name").asText())
        .contains("ServiceAccount/release-bwledger-ingest", "ServiceAccount/release-bwledger-ledger",
            "ServiceAccount/release-bwledger-projector", "ClusterRole/release-bwledger-reader",
            "Deployment/release-bwledger-ingest", "StatefulSet/release-bwledger-ledger",
            "StatefulSet/release-bwledger-projector", "Service/release-bwledger-projector",
            "Secret/release-bwledger-tls", "NetworkPolicy/release-bwledger-projector");
    assertHardened(manifests);
    for (String component : ComponentVariables.COMPONENTS) {
      JsonNode container = container(manifests, component);
      assertThat(env(container, "BW_AUTH").path("value").asText()).isEqualTo("kubernetes");
      assertThat(env(container, "BW_TLS_CERT_FILE").path("value").asText()).isEqualTo("/etc/bwledger/tls/tls.crt");
      assertThat(workload(manifests, component).at("/spec/template/spec/serviceAccountName").asText())
          .isEqualTo("release-bwledger-" + component);
    }
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
        if (ComponentVariables.COMPONENTS.contains(container.path("name").asText())) {
          // The probes have a listener of their own, which needs no token: the kubelet has none.
          assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("probes");
          assertThat(container.path("ports")).extracting(port -> port.path("name").asText()).contains("probes", "http");
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
    // The chart's topics carry the settings the services create them with when the chart does not.
    for (NewTopic topic : Topics.withPrefix("bw.").definitions(1)) {
      JsonNode rendered = manifests.stream()
          .filter(m -> m.path("kind").asText().equals("KafkaTopic"))
          .filter(m -> m.at("/spec/topicName").asText().equals(topic.name()))
          .findFirst().orElseThrow();
      Map<String, String> config = new TreeMap<>();
      rendered.at("/spec/config").fields()
          .forEachRemaining(entry -> config.put(entry.getKey(), entry.getValue().asText()));
      assertThat(config).as(topic.name())
          .isEqualTo(topic.configs() == null ? Map.of() : new TreeMap<>(topic.configs()));
    }
    JsonNode ingest = container(manifests, "ingest");
    assertThat(env(ingest, "BW_KAFKA_PROPERTIES_FILE").path("value").asText())
        .isEqualTo("/etc/bwledger/kafka/client.properties");
    assertThat(workload(manifests, "ingest").at("/spec/template/spec/volumes")).extracting(volume -> volume.toString())
        .contains("{\"name\":\"kafka\",\"secret\":{\"secretName\":\"kafka-client\"}}");
    assertThat(env(ingest, "BW_NAMESPACES").path("value").asText()).isEqualTo("lab");
  }

  /** Measured traffic: node-exporter on every node, network counters only, and ingest told where to find it. */
  @Test
  void trafficDeploysNodeExporterOnEveryNodeAndPointsIngestAtIt() throws IOException {
    assertThat(render(Map.of())).noneMatch(m -> m.path("kind").asText().equals("DaemonSet"));
    assertThat(container(render(Map.of()), "ingest").path("env")).extracting(variable -> variable.path("name").asText())
        .doesNotContain("BW_NODE_EXPORTER_SELECTOR");

    List<JsonNode> manifests = render(Map.of("traffic.enabled", true, "traffic.interfaces", "eth[0-9]+"));
    JsonNode daemonSet = manifests.stream().filter(m -> m.path("kind").asText().equals("DaemonSet")).findFirst()
        .orElseThrow();
    JsonNode pod = daemonSet.at("/spec/template/spec");
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
    assertThat(pod.at("/tolerations/0/operator").asText()).isEqualTo("Exists");
    assertThat(pod.at("/containers/0/args")).extracting(JsonNode::asText)
        .containsExactly("--web.listen-address=:9100", "--collector.disable-defaults", "--collector.netdev");
    assertThat(pod.at("/containers/0/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(daemonSet.at("/spec/template/metadata/labels/app.kubernetes.io~1component").asText())
        .isEqualTo("node-exporter");
    JsonNode ingest = container(manifests, "ingest");
    assertThat(env(ingest, "BW_NODE_EXPORTER_SELECTOR").path("value").asText())
        .isEqualTo("app.kubernetes.io/instance=release,app.kubernetes.io/component=node-exporter");
    assertThat(env(ingest, "BW_NODE_EXPORTER_NAMESPACE").path("value").asText()).isEqualTo("bw");
    assertThat(env(ingest, "BW_NODE_EXPORTER_PORT").path("value").asText()).isEqualTo("9100");
    assertThat(env(ingest, "BW_TRAFFIC_INTERVAL").path("value").asText()).isEqualTo("PT10S");
    assertThat(env(ingest, "BW_TRAFFIC_INTERFACES").path("value").asText()).isEqualTo("eth[0-9]+");
    assertThat(Manifests.grantsByAccount(manifests)).as("listing pods, which ingest does already")
        .isEqualTo(accounts(NEEDED));

    List<JsonNode> existing = render(Map.of("traffic.enabled", true, "traffic.nodeExporter.deploy", false,
        "traffic.nodeExporter.namespace", "monitoring"));
    assertThat(existing).noneMatch(m -> m.path("kind").asText().equals("DaemonSet"));
    assertThat(env(container(existing, "ingest"), "BW_NODE_EXPORTER_SELECTOR").path("value").asText())
        .isEqualTo("app.kubernetes.io/name=prometheus-node-exporter");
    assertThat(env(container(existing, "ingest"), "BW_NODE_EXPORTER_NAMESPACE").path("value").asText())
        .isEqualTo("monitoring");

    List<JsonNode> prometheus = render(Map.of("traffic.enabled", true,
        "traffic.prometheus.url", "http://prometheus-operated.monitoring:9090"));
    assertThat(prometheus).noneMatch(m -> m.path("kind").asText().equals("DaemonSet"));
    JsonNode asking = container(prometheus, "ingest");
    assertThat(env(asking, "BW_PROMETHEUS_URL").path("value").asText()).isEqualTo("http://prometheus-operated.monitoring:9090");
    assertThat(env(asking, "BW_PROMETHEUS_NODE_LABEL").path("value").asText()).isEqualTo("instance");
    assertThat(env(asking, "BW_TRAFFIC_INTERVAL").path("value").asText()).isEqualTo("PT10S");
    assertThat(asking.path("env")).extracting(variable -> variable.path("name").asText())
        .doesNotContain("BW_NODE_EXPORTER_SELECTOR");
  }

  @Test
  void severalLedgerReplicasKeepStandbysAndEachIsAStaticMemberByItsPodName() {
    JsonNode single = container(render(Map.of()), "ledger");
    JsonNode three = container(render(Map.of("ledger.replicas", 3)), "ledger");

    assertThat(single.path("env").findValuesAsText("name")).doesNotContain("BW_KAFKA_PROPERTIES");
    assertThat(env(three, "BW_KAFKA_PROPERTIES").path("value").asText()).isEqualTo("num.standby.replicas=1");
    assertThat(env(three, "BW_INSTANCE_ID").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
  }

  @Test
  void kafkaPropertiesBecomeAFileAndAComponentMayHaveItsOwnPrincipal() throws IOException {
    List<JsonNode> manifests = render(Map.of("kafka.properties.sasl\\.jaas\\.config",
        "ScramLoginModule required username=\"a,b\";", "ledger.kafkaPropertiesSecret", "ledger-kafka"));

    JsonNode secret = manifests.stream().filter(m -> m.at("/metadata/name").asText().equals("release-bwledger-kafka"))
        .findFirst().orElseThrow();
    assertThat(secret.at("/stringData/client.properties").asText())
        .isEqualTo("sasl.jaas.config=ScramLoginModule required username=\"a,b\";\n");
    assertThat(workload(manifests, "ingest").at("/spec/template/spec/volumes").toString())
        .contains("\"secretName\":\"release-bwledger-kafka\"");
    assertThat(workload(manifests, "ledger").at("/spec/template/spec/volumes").toString())
        .contains("\"secretName\":\"ledger-kafka\"").doesNotContain("release-bwledger-kafka");
  }

  @Test
  void eachComponentIsGrantedOnlyWhatItUses() throws IOException {
    assertThat(Manifests.grantsByAccount(render(Map.of()))).isEqualTo(accounts(NEEDED));

    Map<String, Set<String>> withExtender = new TreeMap<>(NEEDED);
    withExtender.put("projector", union(NEEDED.get("projector"), Set.of("/pods:get", "/bindings:create")));
    assertThat(Manifests.grantsByAccount(render(Map.of("scheduler.enabled", true)))).isEqualTo(accounts(withExtender));

    Map<String, Set<String>> withMarks = new TreeMap<>(NEEDED);
    withMarks.put("projector", union(NEEDED.get("projector"), Set.of("/nodes:patch")));
    assertThat(Manifests.grantsByAccount(render(Map.of("nodeMarking.labels", true)))).isEqualTo(accounts(withMarks));

    // The webhooks decide from the projector's own books and the review: no right more.
    assertThat(Manifests.grantsByAccount(render(Map.of("admission.validate", true, "admission.tolerate", true))))
        .isEqualTo(accounts(NEEDED));
  }

  @Test
  void theReaderRoleGrantsWhatTheRestApiAndMetricsAsk() throws IOException {
    JsonNode reader = render(Map.of()).stream()
        .filter(m -> m.at("/metadata/name").asText().equals("release-bwledger-reader")).findFirst().orElseThrow();

    assertThat(Manifests.grants(reader, "")).containsExactlyInAnyOrder(
        "networking.vaclab.org/bandwidths:get", "networking.vaclab.org/bandwidths:list", "/metrics:get");
  }

  /** The API and /metrics reach the projector from apiFrom and metricsFrom, the extender from the scheduler. */
  @Test
  void networkPoliciesOpenEachPortToWhoUsesIt() throws IOException {
    List<JsonNode> manifests = render(Map.of("scheduler.enabled", true,
        "networkPolicy.apiFrom[0].namespaceSelector.matchLabels.team", "lab"));

    JsonNode projector = policy(manifests, "projector");
    assertThat(from(projector, "probes")).isEqualTo("null");
    assertThat(from(projector, "http")).contains("\"team\":\"lab\"", "\"kubernetes.io/metadata.name\":\"monitoring\"");
    assertThat(from(projector, "extender")).contains("\"app.kubernetes.io/component\":\"scheduler\"",
        "\"app.kubernetes.io/component\":\"projector\"").doesNotContain("team");
    assertThat(from(policy(manifests, "ingest"), "http")).contains("monitoring").doesNotContain("team");
    assertThat(from(policy(manifests, "ledger"), "extender")).isEqualTo("closed");
    for (String component : ComponentVariables.COMPONENTS) {
      Set<String> ports = new TreeSet<>();
      container(manifests, component).path("ports").forEach(port -> ports.add(port.path("name").asText()));
      for (JsonNode rule : policy(manifests, component).at("/spec/ingress")) {
        assertThat(ports).as("%s's named ports", component).contains(rule.at("/ports/0/port").asText());
      }
    }

    JsonNode sameNamespace = policy(render(Map.of()), "projector");
    assertThat(from(sameNamespace, "http")).contains("{\"podSelector\":{}}");
  }

  private static JsonNode policy(List<JsonNode> manifests, String component) {
    return manifests.stream().filter(m -> m.path("kind").asText().equals("NetworkPolicy")
        && m.at("/metadata/name").asText().equals("release-bwledger-" + component)).findFirst().orElseThrow();
  }

  /** Who a policy lets reach {@code port}: "null" for everyone, "closed" when no rule names it. */
  private static String from(JsonNode policy, String port) {
    for (JsonNode rule : policy.at("/spec/ingress")) {
      if (rule.at("/ports/0/port").asText().equals(port)) {
        return rule.path("from").isMissingNode() ? "null" : rule.path("from").toString();
      }
    }
    return "closed";
  }

  /**
   * The generated certificates work as the components use them: the projector's extender, serving
   * the Secret's certificate and asking for clients of its CA, answers the scheduler's certificate
   * and another replica's (the serving one); the serving certificate names every Service a client calls.
   */
  @Test
  void theGeneratedCertificatesServeTheExtenderToTheSchedulerAndTheReplicas() throws Exception {
    List<JsonNode> manifests = render(Map.of("scheduler.enabled", true));
    Path serving = secretFiles(manifests, "release-bwledger-tls", dir.resolve("serving"));
    Path scheduler = secretFiles(manifests, "release-bwledger-scheduler-tls", dir.resolve("scheduler"));

    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(serving.resolve("tls.crt")));
    assertThat(certificate.getSubjectAlternativeNames()).extracting(name -> name.get(1).toString())
        .contains("release-bwledger-projector.bw.svc", "*.release-bwledger-projector-headless.bw.svc",
            "release-bwledger-ingest.bw.svc", "*.release-bwledger-ledger.bw.svc", "127.0.0.1");
    JsonNode projector = container(manifests, "projector");
    assertThat(env(projector, "BW_EXTENDER_CLIENT_CA_FILE").path("value").asText()).isEqualTo("/etc/bwledger/tls/ca.crt");

    TlsSettings extenderTls = new TlsSettings(serving.resolve("tls.crt"), serving.resolve("tls.key"),
        serving.resolve("ca.crt"));
    Router extender = Router.withTextErrors(Guard.NONE)
        .post("/scheduler/filter", Access.CLIENT_CERTIFICATE, call -> Reply.text(200, "filtered"));
    try (HttpServer listener = HttpServer.start("extender", new HttpSettings("127.0.0.1", 0, extenderTls),
        HttpServer.Limits.EXTENDER, extender)) {
      URI filter = URI.create("https://127.0.0.1:" + listener.port() + "/scheduler/filter");
      TlsSettings schedulerTls = new TlsSettings(scheduler.resolve("tls.crt"), scheduler.resolve("tls.key"),
          scheduler.resolve("ca.crt"));
      for (TlsSettings caller : List.of(schedulerTls, extenderTls)) {
        HttpResponse<String> answer = HttpClient.newBuilder().sslContext(caller.sslContext()).build()
            .send(HttpRequest.newBuilder(filter).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).isEqualTo("filtered");
      }
    }
  }

  /** A rendered Secret's data, written out as the kubelet would mount it. */
  private static Path secretFiles(List<JsonNode> manifests, String name, Path directory) throws IOException {
    JsonNode secret = manifests.stream()
        .filter(m -> m.path("kind").asText().equals("Secret") && m.at("/metadata/name").asText().equals(name))
        .findFirst().orElseThrow();
    Files.createDirectories(directory);
    for (String key : List.of("tls.crt", "tls.key", "ca.crt")) {
      Files.write(directory.resolve(key), Base64.getDecoder().decode(secret.at("/data/" + key).asText()));
    }
    return directory;
  }

  @Test
  void theGrafanaDashboardIsAConfigMapForTheSidecarOnlyWhenAskedFor() throws IOException {
    assertThat(render(Map.of())).noneMatch(m -> m.path("metadata").path("name").asText().endsWith("grafana-dashboard"));

    JsonNode dashboard = render(Map.of("grafanaDashboard.enabled", true)).stream()
        .filter(m -> m.path("kind").asText().equals("ConfigMap")
            && m.path("metadata").path("name").asText().equals("release-bwledger-grafana-dashboard"))
        .findFirst().orElseThrow();
    assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    JsonNode json = new ObjectMapper().readTree(dashboard.at("/data/bwledger.json").asText());
    assertThat(json.path("uid").asText()).isEqualTo("bwledger");
    assertThat(json.path("panels")).hasSizeGreaterThan(5);
  }

  /**
   * Both webhook configurations call the projector's admission port through its Service, skip
   * kube-system and the release's namespace, fail as configured, and carry the CA that signed the
   * projector's certificate: an HTTPS client trusting only that bundle reaches a listener serving the
   * rendered certificate.
   */
  @Test
  void theAdmissionWebhooksCallTheProjectorTrustingTheCaThatSignedIt(@TempDir Path dir) throws Exception {
    List<JsonNode> manifests = render("release", "bw", Map.of("admission.validate", true, "admission.tolerate", true));
    JsonNode validating = manifest(manifests, "ValidatingWebhookConfiguration", "release-bwledger");
    JsonNode mutating = manifest(manifests, "MutatingWebhookConfiguration", "release-bwledger");
    String ca = manifest(manifests, "Secret", "release-bwledger-tls").at("/data/ca.crt").asText();

    assertThat(validating.path("webhooks")).extracting(w -> w.path("name").asText() + " " + w.at("/clientConfig/service/path")
        .asText() + " " + w.path("failurePolicy").asText())
        .containsExactly("annotations.bandwidth.vaclab.org /admission/validate Fail",
            "fits.bandwidth.vaclab.org /admission/fits Fail");
    assertThat(mutating.path("webhooks")).extracting(w -> w.path("name").asText() + " " + w.at("/clientConfig/service/path")
        .asText() + " " + w.path("failurePolicy").asText())
        .containsExactly("tolerate.bandwidth.vaclab.org /admission/tolerate Ignore");
    List<JsonNode> webhooks = new ArrayList<>();
    validating.path("webhooks").forEach(webhooks::add);
    mutating.path("webhooks").forEach(webhooks::add);
    for (JsonNode webhook : webhooks) {
      assertThat(webhook.at("/clientConfig/caBundle").asText()).isEqualTo(ca);
      assertThat(webhook.at("/clientConfig/service/name").asText()).isEqualTo("release-bwledger-projector");
      assertThat(webhook.at("/clientConfig/service/namespace").asText()).isEqualTo("bw");
      assertThat(webhook.at("/clientConfig/service/port").asInt()).isEqualTo(8444);
      assertThat(webhook.at("/namespaceSelector/matchExpressions/0/values")).extracting(JsonNode::asText)
          .containsExactlyInAnyOrder("kube-system", "bw");
      assertThat(webhook.at("/rules/0/resources/0").asText()).isEqualTo("pods");
    }
    assertThat(validating.at("/webhooks/1/namespaceSelector/matchLabels/bandwidth.vaclab.org~1fits").asText())
        .isEqualTo("true");
    assertThat(env(container(manifests, "projector"), "BW_ADMISSION_PORT").path("value").asText()).isEqualTo("8444");
    assertThat(manifest(manifests, "Service", "release-bwledger-projector").at("/spec/ports"))
        .anySatisfy(port -> assertThat(port.path("name").asText() + " " + port.path("port").asInt())
            .isEqualTo("admission 8444"));
    assertThat(manifest(manifests, "NetworkPolicy", "release-bwledger-projector").at("/spec/ingress"))
        .anySatisfy(rule -> {
          assertThat(rule.at("/ports/0/port").asText()).isEqualTo("admission");
          assertThat(rule.has("from")).isFalse();
        });

    Path serving = secretFiles(manifests, "release-bwledger-tls", dir.resolve("serving"));
    Files.write(dir.resolve("bundle.crt"), Base64.getDecoder().decode(validating.at("/webhooks/0/clientConfig/caBundle")
        .asText()));
    Router admission = Router.withTextErrors(Guard.NONE)
        .post("/admission/validate", Access.OPEN, call -> Reply.text(200, "reviewed"));
    try (HttpServer listener = HttpServer.start("admission", new HttpSettings("127.0.0.1", 0,
        new TlsSettings(serving.resolve("tls.crt"), serving.resolve("tls.key"), null)), HttpServer.Limits.ADMISSION,
        admission)) {
      HttpResponse<String> answer = HttpClient.newBuilder().sslContext(TlsSettings.trusting(dir.resolve("bundle.crt")))
          .build().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listener.port() + "/admission/validate"))
              .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("reviewed");
    }
  }

  @Test
  void ownCertificatesNeedTheirCaForTheWebhooksAndTheWebhooksNeedTls() {
    assertThatThrownBy(() -> render(Map.of("admission.validate", true, "tls.servingSecret", "mine")))
        .hasMessageContaining("admission.caBundle");
    assertThatThrownBy(() -> render(Map.of("admission.tolerate", true, "tls.generate", false)))
        .hasMessageContaining("need TLS");
    List<JsonNode> own = render(Map.of("admission.tolerate", true, "tls.servingSecret", "mine",
        "admission.caBundle", "Q0E="));
    assertThat(manifest(own, "MutatingWebhookConfiguration", "release-bwledger").at("/webhooks/0/clientConfig/caBundle")
        .asText()).isEqualTo("Q0E=");
    assertThat(own).noneMatch(m -> m.path("kind").asText().equals("ValidatingWebhookConfiguration"));
  }

  private static JsonNode manifest(List<JsonNode> manifests, String kind, String name) {
    return manifests.stream().filter(m -> m.path("kind").asText().equals(kind)
        && m.at("/metadata/name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }

  /** Each alert watches one component by the job the ServiceMonitor gives it: its Service's name. */
  @Test
  void theAlertsWatchTheJobsTheServiceMonitorScrapes() {
    List<JsonNode> manifests = render(Map.of("prometheusRule.enabled", true, "serviceMonitor.enabled", true));
    JsonNode rules = manifests.stream().filter(m -> m.path("kind").asText().equals("PrometheusRule"))
        .findFirst().orElseThrow();
    Set<String> scraped = new TreeSet<>();
    manifests.stream().filter(m -> m.path("kind").asText().equals("Service")
            && m.at("/spec/ports").findValuesAsText("name").contains("http"))
        .forEach(service -> scraped.add(service.at("/metadata/name").asText()));

    assertThat(rules.at("/spec/groups/0/rules")).extracting(rule -> rule.path("alert").asText())
        .containsExactly("BwledgerLedgerNotRunning", "BwledgerDeadLetters", "BwledgerLateChanges",
            "BwledgerProjectorNotReady", "BwledgerIngestHeldUp");
    for (JsonNode rule : rules.at("/spec/groups/0/rules")) {
      Matcher jobs = Pattern.compile("job=\"([^\"]+)\"").matcher(rule.path("expr").asText());
      assertThat(jobs.find()).as(rule.path("alert").asText()).isTrue();
      do {
        assertThat(scraped).contains(jobs.group(1));
      } while (jobs.find());
    }
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

  /** {@code needed}, by the ServiceAccount name each component runs as. */
  private static Map<String, Set<String>> accounts(Map<String, Set<String>> needed) {
    Map<String, Set<String>> accounts = new TreeMap<>();
    needed.forEach((component, grants) -> accounts.put("release-bwledger-" + component, grants));
    return accounts;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> union = new TreeSet<>(a);
    union.addAll(b);
    return union;
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
      assertThat(Files.readString(Manifests.CHART.resolve("crds/bandwidths.networking.vaclab.org.yaml")))
          .isEqualTo(new String(crd.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static List<JsonNode> render(Map<String, Object> values) {
    return render("release", "bw", values);
  }

  private static List<JsonNode> render(String release, String namespace, Map<String, Object> values) {
    return Manifests.ofChart(release, namespace, values);
  }

  private static List<JsonNode> workloads(List<JsonNode> manifests) {
    return manifests.stream().filter(m -> Set.of("Deployment", "StatefulSet").contains(m.path("kind").asText()))
        .toList();
  }

  private static JsonNode workload(List<JsonNode> manifests, String component) {
    return workloads(manifests).stream()
        .filter(w -> w.at("/metadata/name").asText().equals("release-bwledger-" + component)).findFirst().orElseThrow();
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
