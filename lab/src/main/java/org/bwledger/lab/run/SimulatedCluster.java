package org.bwledger.lab.run;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.simulator.api.SimulatedApiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API in this JVM ({@link SimulatedApiServer}, with the Bandwidth definition installed)
 * with a few ready nodes and, unless told to stay quiet, a workload generator that creates, scales
 * and deletes Deployments, StatefulSets and bare pods with bandwidth annotations, some of them bad.
 * No controller runs here, so the generator makes the pods (with their controller owner) and places
 * them itself, some workloads on one node, others spread. Pods created by anyone else wait for a
 * scheduler, which may bind them through the API as kube-scheduler does.
 */
final class SimulatedCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedCluster.class);
  /** The namespace of the generated workload. */
  static final String NAMESPACE = "lab";
  private static final List<String> BAD_VALUES = List.of("10Mbps", "fast", "-5M", "1e400");

  /** A workload the generator runs: its controller and its pods' names. */
  private record Workload(String kind, String name, String uid, Map<String, String> annotations, String node,
      List<String> pods) {}

  private final SimulatedApiServer server;
  private final KubernetesClient client;
  private final int nodes;
  private final Random random;
  private final Map<String, Workload> workloads = new LinkedHashMap<>();
  private final List<String> barePods = new ArrayList<>();
  private final ScheduledExecutorService generator = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-workload-generator"));
  private int sequence;

  private SimulatedCluster(int nodes, long seed) throws Exception {
    this.nodes = nodes;
    this.random = new Random(seed);
    server = SimulatedApiServer.start("127.0.0.1", 0, Clock.systemUTC(), BandwidthCrd.definition());
    client = server.newClient();
  }

  /**
   * Starts the API with {@code nodes} ready nodes and the {@code lab} namespace; with a {@code tick},
   * the generator acts every tick, without one the cluster stays as it is until someone acts on it.
   */
  static SimulatedCluster start(int nodes, long seed, Duration tick) throws Exception {
    SimulatedCluster cluster = new SimulatedCluster(nodes, seed);
    cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
        .build()).create();
    for (int n = 0; n < nodes; n++) {
      cluster.client.nodes().resource(node(n)).create();
    }
    if (!tick.isZero()) {
      cluster.generator.scheduleWithFixedDelay(cluster::act, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }
    return cluster;
  }

  /** A ready worker node, as a kubelet would register it. */
  private static io.fabric8.kubernetes.api.model.Node node(int n) {
    return new NodeBuilder()
        .withNewMetadata().withName(nodeName(n))
        .withLabels(Map.of("kubernetes.io/hostname", nodeName(n), "node-role.kubernetes.io/worker", ""))
        .endMetadata()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withMessage("the simulated kubelet is posting ready status").endCondition()
        .addNewAddress().withType("InternalIP").withAddress("10.42.0." + (n + 1)).endAddress()
        .addNewAddress().withType("Hostname").withAddress(nodeName(n)).endAddress()
        .withNewNodeInfo().withKubeletVersion("v1.32.0-simulated").withOsImage("bwledger simulated node")
        .withKernelVersion("simulated").withContainerRuntimeVersion("simulated://1").withArchitecture("amd64")
        .withOperatingSystem("linux").endNodeInfo()
        .addToCapacity("pods", new Quantity("110")).addToAllocatable("pods", new Quantity("110"))
        .endStatus()
        .build();
  }

  /** The simulated nodes' names. */
  List<String> nodeNames() {
    List<String> names = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      names.add(nodeName(n));
    }
    return names;
  }

  /** A client of the simulated API, for a component that closes its own. */
  KubernetesClient newClient() {
    return server.newClient();
  }

  String url() {
    return client.getMasterUrl().toString();
  }

  /** Writes a kubeconfig for this API, so kubectl and {@code bwctl record --kubeconfig FILE} can use it too. */
  void writeKubeconfig(Path file) throws IOException {
    server.writeKubeconfig(file, "bwledger-simulated");
  }

  @Override
  public void close() {
    generator.shutdownNow();
    client.close();
    server.close();
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
        .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("registry.local/lab:1")
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.42." + random.nextInt(256) + "." + random.nextInt(256))
        .addNewContainerStatus().withName("main").withReady(true).withRestartCount(0).endContainerStatus()
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
