package org.bwledger.lab.run;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.bwledger.kube.crd.BandwidthCrd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API in this JVM (fabric8's mock server in CRUD mode) with a few nodes and a workload
 * generator that creates, scales and deletes Deployments, StatefulSets and bare pods with bandwidth
 * annotations, some of them bad. No controller runs here, so the generator makes the pods (with
 * their controller owner) and places them itself, some workloads on one node, others spread.
 */
final class SimulatedCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedCluster.class);
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
  private static final String NAMESPACE = "lab";
  private static final List<String> BAD_VALUES = List.of("10Mbps", "fast", "-5M", "1e400");

  /** A workload the generator runs: its controller and its pods' names. */
  private record Workload(String kind, String name, String uid, Map<String, String> annotations, String node,
      List<String> pods) {}

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final int nodes;
  private final Random random;
  private final Map<String, Workload> workloads = new LinkedHashMap<>();
  private final List<String> barePods = new ArrayList<>();
  private final ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-workload-generator"));
  private int sequence;

  private SimulatedCluster(int nodes, long seed) throws Exception {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    this.nodes = nodes;
    this.random = new Random(seed);
    // The mock serves Bandwidth objects as the shipped definition says: cluster-scoped, with status.
    CustomResourceDefinitionContext bandwidths = CustomResourceDefinitionContext.fromCrd(BandwidthCrd.definition());
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(List.of(bandwidths)), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  /** Starts the API with {@code nodes} nodes and the generator acting every {@code tick}. */
  static SimulatedCluster start(int nodes, long seed, Duration tick) throws Exception {
    SimulatedCluster cluster = new SimulatedCluster(nodes, seed);
    for (int n = 0; n < nodes; n++) {
      cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName(n))
          .withLabels(Map.of("kubernetes.io/hostname", nodeName(n))).endMetadata().build()).create();
    }
    cluster.generator.scheduleWithFixedDelay(cluster::act, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    return cluster;
  }

  /** A client of the simulated API, for a component that closes its own. */
  KubernetesClient newClient() {
    return server.createClient();
  }

  String url() {
    return client.getMasterUrl().toString();
  }

  /** Writes a kubeconfig for this API, so {@code bwctl record --kubeconfig FILE} can watch it too. */
  void writeKubeconfig(Path file) throws IOException {
    Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: bwledger-simulated",
        "  cluster:",
        "    server: " + url(),
        "contexts:",
        "- name: bwledger-simulated",
        "  context:",
        "    cluster: bwledger-simulated",
        "    user: bwledger-simulated",
        "current-context: bwledger-simulated",
        "users:",
        "- name: bwledger-simulated",
        "  user: {}",
        ""));
  }

  @Override
  public void close() {
    generator.shutdownNow();
    client.close();
    server.destroy();
  }

  /** One step of the workload: keeps the cluster between about 3 and 10 pods a node. */
  private void act() {
    try {
      int pods = barePods.size() + workloads.values().stream().mapToInt(w -> w.pods().size()).sum();
      int roll = random.nextInt(100);
      if (pods > nodes * 10 || (roll < 20 && pods > nodes * 3)) {
        shrink();
      } else if (roll < 45) {
        newWorkload();
      } else if (roll < 75 && !workloads.isEmpty()) {
        scale(pick(new ArrayList<>(workloads.values())), 1 + random.nextInt(2));
      } else {
        barePod();
      }
    } catch (RuntimeException e) {
      log.warn("Workload generator step failed: {}", e.toString());
    }
  }

  private void newWorkload() {
    boolean statefulSet = random.nextBoolean();
    String name = (statefulSet ? "swarm-" : "relay-") + sequence++;
    // Half the workloads stay on one node: link-local, charged to local bandwidth only.
    String node = random.nextBoolean() ? nodeName(random.nextInt(nodes)) : null;
    Workload workload = new Workload(statefulSet ? "StatefulSet" : "ReplicaSet", name, UUID.randomUUID().toString(),
        annotations(), node, new ArrayList<>());
    workloads.put(name, workload);
    scale(workload, 1 + random.nextInt(4));
  }

  private void scale(Workload workload, int more) {
    for (int i = 0; i < more; i++) {
      String pod = workload.name() + "-" + workload.pods().size();
      String node = workload.node() != null ? workload.node() : nodeName(random.nextInt(nodes));
      create(pod, node, workload, workload.annotations());
      workload.pods().add(pod);
    }
  }

  private void barePod() {
    String pod = "probe-" + sequence++;
    create(pod, nodeName(random.nextInt(nodes)), null, annotations());
    barePods.add(pod);
  }

  /** Scales a workload down or deletes it, or deletes a bare pod. */
  private void shrink() {
    if (!barePods.isEmpty() && (workloads.isEmpty() || random.nextInt(3) == 0)) {
      delete(barePods.remove(random.nextInt(barePods.size())));
      return;
    }
    Workload workload = pick(new ArrayList<>(workloads.values()));
    if (workload.pods().size() <= 1 || random.nextInt(4) == 0) {
      workload.pods().forEach(this::delete);
      workloads.remove(workload.name());
    } else {
      delete(workload.pods().remove(workload.pods().size() - 1));
    }
  }

  /** Egress and ingress in the forms DESIGN §1 lists, now and then one no runtime accepts. */
  private Map<String, String> annotations() {
    Map<String, String> annotations = new HashMap<>();
    if (random.nextInt(10) == 0) {
      annotations.put("kubernetes.io/egress-bandwidth", pick(BAD_VALUES));
    } else if (random.nextBoolean()) {
      annotations.put("kubernetes.io/egress-bandwidth", (10 * (1 + random.nextInt(20))) + "M");
      annotations.put("kubernetes.io/ingress-bandwidth", (10 * (1 + random.nextInt(10))) + "M");
    } else {
      annotations.put("ovn.kubernetes.io/egress_rate", String.valueOf(5 * (1 + random.nextInt(20))));
    }
    return annotations;
  }

  private void create(String name, String node, Workload owner, Map<String, String> annotations) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withNamespace(NAMESPACE).withName(name).withUid(UUID.randomUUID().toString())
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.42." + random.nextInt(256) + "." + random.nextInt(256))
        .endStatus();
    if (owner != null) {
      pod.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind(owner.kind()).withName(owner.name())
          .withUid(owner.uid()).withController(true).endOwnerReference().endMetadata();
    }
    Pod created = client.pods().inNamespace(NAMESPACE).resource(pod.build()).create();
    log.debug("Created pod {} on {}", created.getMetadata().getName(), node);
  }

  private void delete(String pod) {
    client.pods().inNamespace(NAMESPACE).withName(pod).delete();
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String nodeName(int n) {
    return "sim-node-" + n;
  }
}
