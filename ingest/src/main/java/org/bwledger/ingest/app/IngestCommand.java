package org.bwledger.ingest.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.bwledger.ledger.app.AnnotationKeyOptions;
import org.bwledger.ledger.rules.AnnotationKey;
import org.bwledger.schemas.topic.KafkaOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bwctl ingest} (and this module's main): watches the cluster and appends every pod, node and
 * Bandwidth change to {@code bw.cluster-events}. The Kubernetes API is found as kubectl finds it
 * (in-cluster, {@code KUBECONFIG}, {@code ~/.kube/config}).
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Runs ingest: watches pods, nodes and Bandwidth objects and appends each change to the "
        + "cluster-events topic, until interrupted. Every flag can also be set with the environment variable it names.")
public final class IngestCommand implements Callable<Integer> {

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--context", paramLabel = "NAME", defaultValue = "${env:BW_KUBE_CONTEXT}",
      description = "The kubeconfig context to use (env BW_KUBE_CONTEXT, default: the current one).")
  String context;

  @Option(names = "--namespace", paramLabel = "NS", split = ",", defaultValue = "${env:BW_NAMESPACES}",
      description = "Namespaces whose pods are watched (env BW_NAMESPACES, comma-separated; default: all).")
  List<String> namespaces = new ArrayList<>();

  @Mixin
  AnnotationKeyOptions annotations;

  @Option(names = "--buffered-events", paramLabel = "N", defaultValue = "${env:BW_BUFFERED_EVENTS:-100000}",
      description = "Events held for Kafka at most; past that the watches wait (env BW_BUFFERED_EVENTS, "
          + "default: ${DEFAULT-VALUE}).")
  int bufferedEvents;

  @Option(names = "--http-host", paramLabel = "HOST", defaultValue = "${env:BW_HTTP_HOST:-0.0.0.0}",
      description = "Address of /healthz, /readyz and /metrics (env BW_HTTP_HOST, default: ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:BW_HTTP_PORT:-8081}",
      description = "Port of /healthz, /readyz and /metrics (env BW_HTTP_PORT, default: ${DEFAULT-VALUE}).")
  int httpPort;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IngestCommand()).execute(args));
  }

  /** The typed configuration these flags and variables give. */
  public IngestConfig config() {
    Set<String> carried = annotations.annotationKeys().all().map(AnnotationKey::name)
        .collect(Collectors.toCollection(TreeSet::new));
    return new IngestConfig(kafka.bootstrapServers(), kafka.topicPrefix(), kafka.properties(), carried, namespaces,
        kafka.partitions(), bufferedEvents, httpHost, httpPort);
  }

  /** Runs until SIGTERM or Ctrl-C; ingest is closed cleanly inside the shutdown hook. */
  @Override
  public Integer call() throws Exception {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.autoConfigure(context)).build();
    IngestService ingest = new IngestService(config(), client, Clock.systemUTC());
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ingest.close();
      client.close();
      closed.countDown();
    }, "bwctl-ingest-shutdown"));
    ingest.start();
    closed.await();
    return 0;
  }
}
