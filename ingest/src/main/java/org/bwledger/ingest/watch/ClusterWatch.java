package org.bwledger.ingest.watch;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.kube.events.EventTranslator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on pods (all namespaces, or the configured ones), nodes and Bandwidth objects; each
 * change becomes one event on the log, and every list is followed by a resync ({@link Relists}).
 */
public final class ClusterWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final EventTranslator translator;
  private final EventLog events;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final String runId = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new LinkedHashMap<>();

  /**
   * @param namespaces the namespaces whose pods are watched; empty for all
   */
  public ClusterWatch(KubernetesClient client, List<String> namespaces, EventTranslator translator, EventLog events,
      Clock clock, MeterRegistry metrics) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
    this.translator = translator;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Starts the informers; returns at once. Each list they make is followed by a resync. */
  public void start() {
    Map<String, SharedIndexInformer<Pod>> pods = new LinkedHashMap<>();
    if (namespaces.isEmpty()) {
      pods.put("pods", client.pods().inAnyNamespace().runnableInformer(0));
    } else {
      namespaces.forEach(ns -> pods.put("pods/" + ns, client.pods().inNamespace(ns).runnableInformer(0)));
    }
    SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
    SharedIndexInformer<GenericKubernetesResource> bandwidths =
        client.genericKubernetesResources(BandwidthCrd.CONTEXT).runnableInformer(0);

    Set<String> participants = new TreeSet<>(pods.keySet());
    participants.add("nodes");
    Relists relists = new Relists(participants, () -> liveObjects(pods.values(), nodes), events, clock,
        this::nextEventId, Counter.builder("bwledger.ingest.resyncs")
            .description("Resyncs published after a list of pods and nodes")
            .register(metrics));

    UnaryOperator<Pod> cachedPod = CachedForm.pods(translator.bandwidthAnnotations());
    pods.forEach((name, informer) -> register(name, informer, WatchedKind.pods(translator, clock), cachedPod, relists));
    register("nodes", nodes, WatchedKind.nodes(translator, clock), CachedForm.nodes(), relists);
    register("bandwidths", bandwidths, WatchedKind.bandwidths(translator), UnaryOperator.identity(), relists);
    informers.values().forEach(SharedIndexInformer::start);
    log.info("Watching {} for {}", informers.keySet(), events);
  }

  /** True once every informer has listed. */
  public boolean synced() {
    return !informers.isEmpty() && informers.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** False once an informer has stopped for good. */
  public boolean alive() {
    return informers.values().stream().noneMatch(i -> i.stopped().toCompletableFuture().isDone());
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
  }

  private <T extends HasMetadata> void register(String name, SharedIndexInformer<T> informer, WatchedKind<T> kind,
      UnaryOperator<T> cachedForm, Relists relists) {
    Counter untranslatable = Counter.builder("bwledger.ingest.events.untranslatable")
        .description("Watch notifications that could not be turned into an event")
        .tag("informer", name)
        .register(metrics);
    informer.itemStore(new GatedItemStore<>(events, cachedForm))
        .addEventHandler(new WatchHandler<>(kind, name, events, relists, clock, this::nextEventId, untranslatable))
        .exceptionHandler((started, error) -> {
          log.warn("Watch of {} failed ({}); retrying", name, error.toString());
          return true;
        });
    Gauge.builder("bwledger.ingest.informer.watching", informer, i -> i.isWatching() ? 1 : 0)
        .description("1 while the informer's watch is open")
        .tag("informer", name)
        .register(metrics);
    Gauge.builder("bwledger.ingest.informer.synced", informer, i -> i.hasSynced() ? 1 : 0)
        .description("1 once the informer has listed")
        .tag("informer", name)
        .register(metrics);
    informers.put(name, informer);
  }

  private static Relists.LiveObjects liveObjects(Iterable<SharedIndexInformer<Pod>> pods,
      SharedIndexInformer<Node> nodes) {
    TreeSet<String> uids = new TreeSet<>();
    pods.forEach(informer -> informer.getStore().list().forEach(pod -> uids.add(pod.getMetadata().getUid())));
    TreeSet<String> names = new TreeSet<>();
    nodes.getStore().list().forEach(node -> names.add(node.getMetadata().getName()));
    return new Relists.LiveObjects(uids, names);
  }

  private String nextEventId() {
    return runId + "-" + sequence.getAndIncrement();
  }
}
