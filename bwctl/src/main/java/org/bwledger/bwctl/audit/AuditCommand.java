package org.bwledger.bwctl.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bwledger.bwctl.export.MergedLog;
import org.bwledger.bwctl.options.ProjectorApiOptions;
import org.bwledger.bwctl.replay.Replay;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.ledger.app.LedgerConfig;
import org.bwledger.ledger.app.LedgerRulesOptions;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.runtime.kafka.TopicOffsets;
import org.bwledger.runtime.options.ConfigDefaults;
import org.bwledger.runtime.options.KafkaOptions;
import org.bwledger.runtime.options.KubernetesOptions;
import org.bwledger.schemas.state.NodeBandwidth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bwctl audit}: proves the books balance. It folds {@code bw.cluster-events} offline, as
 * replay does, up to where the live ledger has committed, and compares every node with what the
 * projector serves and, given a kubeconfig, with the Bandwidth objects' status. Figures,
 * reservations and their states are compared; when each state was dated and by which event is not,
 * as partitions interleave differently live and offline.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    defaultValueProvider = AuditCommand.Defaults.class,
    description = {
        "Folds bw.cluster-events up to where the live ledger has committed and compares every node with what the "
            + "projector serves (and, with --kubeconfig or --context, with the Bandwidth objects' status).",
        "Run it while the cluster is quiet: it waits up to --settle for the live side to publish what it folded."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every node agrees with the log",
        "1:some node differs (printed), or the projector or Kafka could not be asked",
        "2:invalid command line"})
public final class AuditCommand implements Callable<Integer> {

  /** The shared topics, the ledger's application id and rules where every process finds them by default. */
  static final class Defaults extends ConfigDefaults {
    Defaults() {
      super(KafkaOptions.defaults(KafkaSettings.defaults()), LedgerRulesOptions.defaults(LedgerRules.DEFAULT),
          Map.of("--ledger-application-id", LedgerConfig.defaults().applicationId(), "--settle", "PT30S"));
    }
  }

  /** What is not compared: when and by which event a state was made, and which spec the writer saw. */
  private static final Set<String> NOT_COMPARED =
      Set.of("updatedAt", "ledgerPosition", "conditions", "observedGeneration");

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Mixin
  LedgerRulesOptions rules;

  @Mixin
  KubernetesOptions kubernetes;

  @Option(names = "--ledger-application-id", paramLabel = "ID", defaultValue = "${env:BW_LEDGER_APPLICATION_ID}",
      description = "The live ledger's application id: how far it has folded is its group's committed offsets "
          + "(env BW_LEDGER_APPLICATION_ID, default: ${DEFAULT-VALUE}).")
  String ledgerApplicationId;

  @Mixin
  ProjectorApiOptions api;

  @Option(names = "--settle", paramLabel = "DURATION",
      description = "How long to wait for the live side to show what the ledger folded, as an ISO-8601 duration "
          + "(default: ${DEFAULT-VALUE}).")
  Duration settle;

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Folded folded = fold(err);
    out.printf("folded %,d events of %s up to the offsets the ledger %s committed: %d nodes%n", folded.events(),
        kafka.settings().topics().clusterEvents().name(), ledgerApplicationId, folded.nodes().size());
    folded.skipped().forEach(problem -> out.println("  skipped, as the ledger does: " + problem));

    // One client for every look, so the looks of a long settle reuse its connection.
    HttpClient http = api.client(HttpClient.Version.HTTP_1_1);
    Map<String, List<String>> differences = settle(() -> compare(folded.nodes(), projector(http)));
    int differing = report("projector at " + api.server(), differences, folded.nodes().size(), out);
    if (kubernetes.given()) {
      try (KubernetesClient client = kubernetes.client()) {
        differences = settle(() -> compare(folded.nodes(), bandwidthStatuses(client)));
      }
      differing += report("Bandwidth status", differences, folded.nodes().size(), out);
    }
    if (differing > 0) {
      long moved = TopicOffsets.sum(committed()) - TopicOffsets.sum(folded.upTo());
      if (moved > 0) {
        out.printf("the ledger committed %,d more events while the audit looked: the cluster is not quiet, and the "
            + "live side is ahead of this fold; audit again once it is%n", moved);
      }
    }
    out.flush();
    return differing == 0 ? 0 : 1;
  }

  /**
   * What the log folds to, with what was skipped on the way, how many events were read, and the
   * offsets the fold went up to.
   */
  private record Folded(SortedMap<String, NodeBandwidth> nodes, List<String> skipped, long events,
      Map<TopicPartition, Long> upTo) {}

  /** Where the live ledger's group stands on {@code bw.cluster-events}, partition by partition. */
  private Map<TopicPartition, Long> committed() throws Exception {
    try (Admin admin = Admin.create(kafka.settings().clientProperties(Map.of()))) {
      return TopicOffsets.committed(admin, ledgerApplicationId, kafka.settings().topics().clusterEvents().name());
    }
  }

  private Folded fold(PrintWriter err) throws Exception {
    Map<TopicPartition, Long> committed = committed();
    long[] events = {0};
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.settings().clientProperties(Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      MergedLog log = new MergedLog(consumer, kafka.settings().topics().clusterEvents());
      Map<TopicPartition, Long> ends = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
      log.partitions().forEach(partition -> ends.put(partition, committed.getOrDefault(partition, 0L)));
      Map<TopicPartition, Long> starts = consumer.beginningOffsets(ends.keySet());
      Replay.Result result = new Replay(rules.rules()).run(fold -> log.read(starts, ends, null, event -> {
        events[0]++;
        fold.accept(event, "event " + event.getEventId());
      }, null, err), Replay.Options.ALL.withPartitions(ends.size()));
      return new Folded(result.nodes(), result.skipped(), events[0], ends);
    }
  }

  /** Each node's status as the projector serves it. */
  private Map<String, JsonNode> projector(HttpClient http) throws Exception {
    Map<String, JsonNode> statuses = new TreeMap<>();
    for (JsonNode item : get(http, "/api/v1/nodes").path("items")) {
      String node = item.path("name").asText();
      statuses.put(node, get(http, "/api/v1/nodes/" + URLEncoder.encode(node, StandardCharsets.UTF_8))
          .path("status"));
    }
    return statuses;
  }

  private JsonNode get(HttpClient http, String path) throws Exception {
    HttpResponse<String> response = http.send(api.get(path), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the projector answered " + path + " with " + response.statusCode() + ": "
          + response.body());
    }
    return json.readTree(response.body());
  }

  /** Each node's status as its Bandwidth object holds it. */
  private Map<String, JsonNode> bandwidthStatuses(KubernetesClient client) {
    Map<String, JsonNode> statuses = new TreeMap<>();
    for (GenericKubernetesResource object : client.genericKubernetesResources(BandwidthCrd.CONTEXT).list().getItems()) {
      Object status = object.getAdditionalProperties().get("status");
      if (status != null) {
        statuses.put(object.getMetadata().getName(), json.valueToTree(status));
      }
    }
    return statuses;
  }

  /** What a look at the live side found, node by node; empty when everything agrees. */
  private interface Look {
    Map<String, List<String>> differences() throws Exception;
  }

  /**
   * Looks until the live side agrees or {@link #settle} has passed; the last look's differences. A
   * look that fails (the projector restarting, a timeout) is tried again, and its failure is the
   * difference when time is up.
   */
  private Map<String, List<String>> settle(Look look) throws InterruptedException {
    Instant deadline = Instant.now().plus(settle);
    while (true) {
      Map<String, List<String>> differences;
      try {
        differences = look.differences();
      } catch (Exception e) {
        differences = Map.of("*", List.of("could not be asked: " + e));
      }
      if (differences.isEmpty() || Instant.now().isAfter(deadline)) {
        return differences;
      }
      Thread.sleep(500);
    }
  }

  private Map<String, List<String>> compare(SortedMap<String, NodeBandwidth> folded, Map<String, JsonNode> shown) {
    BandwidthObjects objects = new BandwidthObjects(json);
    Map<String, List<String>> differences = new TreeMap<>();
    Set<String> nodes = new TreeSet<>(folded.keySet());
    nodes.addAll(shown.keySet());
    for (String node : nodes) {
      NodeBandwidth books = folded.get(node);
      JsonNode status = shown.get(node);
      if (books == null) {
        differences.put(node, List.of("shown, but the log holds no such node"));
      } else if (status == null) {
        differences.put(node, List.of("not shown, but the log holds it"));
      } else {
        List<String> found = StatusDifferences.of(compared(objects.status(books)), compared(status));
        if (!found.isEmpty()) {
          differences.put(node, found);
        }
      }
    }
    return differences;
  }

  private static JsonNode compared(JsonNode status) {
    ObjectNode copy = status.deepCopy();
    copy.remove(NOT_COMPARED);
    return copy;
  }

  /** Prints what differs where; returns how many nodes differ. */
  private static int report(String where, Map<String, List<String>> differences, int nodes, PrintWriter out) {
    if (differences.isEmpty()) {
      out.printf("%s: all %d nodes agree with the log%n", where, nodes);
      return 0;
    }
    out.printf("%s: %d nodes differ from the log%n", where, differences.size());
    differences.forEach((node, lines) -> lines.forEach(line -> out.printf("  %s  %s%n", node, line)));
    return differences.size();
  }
}
