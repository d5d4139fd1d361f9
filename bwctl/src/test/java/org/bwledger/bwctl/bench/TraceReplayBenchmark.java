package org.bwledger.bwctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bwledger.bwctl.replay.Replay;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.ledger.testing.ClusterHistory;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;
import org.bwledger.schemas.event.PodGone;
import org.bwledger.schemas.event.PodObserved;
import org.bwledger.testkit.bench.Figure;
import org.bwledger.testkit.bench.Figures;

/**
 * How fast {@code bwctl replay} reads a kubectl watch trace ({@code kubectl get pods,nodes -A --watch
 * --output-watch-events -o json}), beside only parsing the same file's JSON (the baseline). The
 * trace is the generated history of {@link ReplayBenchmark}, written as kubectl writes it: each pod
 * whole, with the managed fields, container spec and status conditions a real API server returns
 * (about 3 KB a pod, pretty-printed as kubectl prints it). Three rounds; the best, warm, is reported. Run on demand:
 * {@code mvn -q -pl bwctl exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.bwledger.bwctl.bench.TraceReplayBenchmark -Dexec.args="100000"}.
 */
public final class TraceReplayBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    Figures.report(run(args.length > 0 ? Integer.parseInt(args[0]) : 100_000));
  }

  /** Replay's rate over a trace of {@code events} watch events, beside parsing its JSON only. */
  public static List<Figure> run(int events) throws IOException {
    Path trace = Files.createTempFile("bwledger-trace", ".json");
    try {
      long written = write(trace, events);
      System.out.printf("%,d watch events in %s (%,d MiB)%n", written, trace, Files.size(trace) >> 20);
      Figure figure = null;
      for (int round = 1; round <= Integer.getInteger("bench.rounds", 3); round++) {
        long start = System.nanoTime();
        long parsed = 0;
        try (BufferedReader in = Files.newBufferedReader(trace);
             var values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(in)) {
          while (values.hasNext()) {
            values.next();
            parsed++;
          }
        }
        double parseRate = parsed / ((System.nanoTime() - start) / 1e9);

        start = System.nanoTime();
        Replay.Result result;
        try (BufferedReader in = Files.newBufferedReader(trace)) {
          result = new Replay(LedgerRules.DEFAULT).run(in);
        }
        double replayRate = written / ((System.nanoTime() - start) / 1e9);
        if (!result.skipped().isEmpty()) {
          throw new IllegalStateException("replay skipped " + result.skipped().size() + ": " + result.skipped().get(0));
        }
        System.out.printf("round %d: parsing only %,.0f events/s; replay %,.0f events/s, %,d nodes%n", round,
            parseRate, replayRate, result.nodes().size());
        Figure measured = Figure.of("trace", String.format("bwctl replay, kubectl trace of %,d watch events", written),
            replayRate, "events/s").beside("parsing its JSON only", parseRate);
        figure = figure == null || measured.value() > figure.value() ? measured : figure;
      }
      return List.of(figure);
    } finally {
      Files.delete(trace);
    }
  }

  /** Writes the history's pod and node events as kubectl would; returns how many. */
  private static long write(Path trace, int events) throws IOException {
    long[] written = {0};
    try (BufferedWriter out = Files.newBufferedWriter(trace)) {
      new ClusterHistory(2_000, 50_000, 4_000, events).generate(1, new EventFactory(), event -> {
        ObjectNode watchEvent = watchEvent(event);
        if (watchEvent != null) {
          try {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(watchEvent));
            out.newLine();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          written[0]++;
        }
      });
    }
    return written[0];
  }

  /** The watch event kubectl would print for {@code event}; null for what it never shows (assumptions, capacities). */
  private static ObjectNode watchEvent(ClusterEvent event) {
    String at = event.getObservedAt().toString();
    ObjectNode watch = JSON.createObjectNode();
    if (event.getPayload() instanceof PodObserved pod) {
      watch.put("type", "MODIFIED").set("object", pod(pod.getUid(), pod.getNamespace(), pod.getName(),
          pod.getNodeName(), pod.getPhase(), pod.getPodIp(), pod.getBandwidthAnnotations(),
          pod.getController() == null ? null : pod.getController().getUid(), at));
    } else if (event.getPayload() instanceof PodGone gone) {
      watch.put("type", "DELETED").set("object", pod(gone.getUid(), gone.getNamespace(), gone.getName(),
          gone.getNodeName(), "Running", null, Map.of(), null, at));
    } else if (event.getPayload() instanceof NodeObserved node) {
      ObjectNode object = watch.put("type", "ADDED").putObject("object");
      object.put("apiVersion", "v1").put("kind", "Node");
      object.putObject("metadata").put("name", node.getName()).put("uid", "node-uid-" + node.getName())
          .put("resourceVersion", "1").put("creationTimestamp", at)
          .putObject("labels").put("kubernetes.io/hostname", node.getName()).put("kubernetes.io/os", "linux");
    } else {
      return null;
    }
    return watch;
  }

  /** A pod as an API server returns it, with the bulk a translation must skip. */
  private static ObjectNode pod(String uid, String namespace, String name, String node, String phase, String ip,
      Map<String, String> bandwidth, String controllerUid, String at) {
    ObjectNode pod = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", uid)
        .put("resourceVersion", "1").put("creationTimestamp", at);
    metadata.putObject("labels").put("app", "bench").put("pod-template-hash", "5d8c7f9b6d");
    ObjectNode annotations = metadata.putObject("annotations");
    bandwidth.forEach(annotations::put);
    annotations.put("kubectl.kubernetes.io/restartedAt", at);
    if (controllerUid != null) {
      metadata.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
          .put("name", "rs-" + controllerUid).put("uid", controllerUid).put("controller", true)
          .put("blockOwnerDeletion", true);
    }
    ObjectNode managed = metadata.putArray("managedFields").addObject().put("manager", "kube-controller-manager")
        .put("operation", "Update").put("apiVersion", "v1").put("time", at).put("fieldsType", "FieldsV1");
    ObjectNode fields = managed.putObject("fieldsV1");
    fields.putObject("f:metadata").putObject("f:labels").putObject("f:app");
    fields.putObject("f:spec").putObject("f:containers").putObject("k:{\"name\":\"main\"}").putObject("f:image");
    ObjectNode spec = pod.putObject("spec").put("nodeName", node).put("restartPolicy", "Always")
        .put("serviceAccountName", "default").put("terminationGracePeriodSeconds", 30);
    ObjectNode container = spec.putArray("containers").addObject().put("name", "main")
        .put("image", "networkstatic/iperf3:latest").put("imagePullPolicy", "IfNotPresent");
    container.putArray("args").add("-s").add("-p").add("5201");
    container.putArray("ports").addObject().put("containerPort", 5201).put("protocol", "TCP");
    container.putObject("resources").putObject("requests").put("cpu", "100m").put("memory", "64Mi");
    container.putArray("volumeMounts").addObject().put("name", "kube-api-access").put("readOnly", true)
        .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
    spec.putArray("tolerations").addObject().put("key", "node.kubernetes.io/not-ready").put("operator", "Exists")
        .put("effect", "NoExecute").put("tolerationSeconds", 300);
    ObjectNode status = pod.putObject("status").put("phase", phase).put("hostIP", "192.168.0.10")
        .put("qosClass", "Burstable").put("startTime", at);
    if (ip != null) {
      status.put("podIP", ip).putArray("podIPs").addObject().put("ip", ip);
    }
    var conditions = status.putArray("conditions");
    for (String type : new String[] {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
      conditions.addObject().put("type", type).put("status", "True").put("lastTransitionTime", at);
    }
    status.putArray("containerStatuses").addObject().put("name", "main").put("ready", true).put("restartCount", 0)
        .put("image", "networkstatic/iperf3:latest").put("containerID", "containerd://" + uid)
        .putObject("state").putObject("running").put("startedAt", at);
    return pod;
  }
}
