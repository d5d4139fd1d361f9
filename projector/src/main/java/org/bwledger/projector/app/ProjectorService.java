package org.bwledger.projector.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.bwledger.projector.extender.AssumptionLog;
import org.bwledger.projector.extender.ExtenderHandler;
import org.bwledger.projector.extender.PlacementBook;
import org.bwledger.projector.extender.PodBinder;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.projector.extender.ReplicaIdentity;
import org.bwledger.projector.extender.SchedulerExtender;
import org.bwledger.projector.extender.StandingAssumptions;
import org.bwledger.projector.nodes.NodeMarker;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.projector.rest.RestApi;
import org.bwledger.projector.status.StatusWriter;
import org.bwledger.projector.topology.ProjectorTopology;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projector process: materializes the ledger's node states, keeps Bandwidth status equal to
 * them, and serves the REST API and the scheduler extender. Every replica serves both; the one
 * that holds the Lease writes status, so a node has one write in flight however many replicas run.
 * Ready once its stores are restored and it has read the ledger's output up to where it stood at
 * start; then the extender's book is filled from the stores, and whenever this replica starts
 * writing, every status is offered again once, so status converges whatever it was before
 * (level-triggered, as a controller would).
 */
public final class ProjectorService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProjectorService.class);
  private static final int STATUS_WRITERS = 4;
  private static final int REST_THREADS = 8;
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  private final ProjectorConfig config;
  private final KubernetesClient client;
  private final Clock clock;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ObjectMapper json = new ObjectMapper();
  private StatusWriter status;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private NodeQueries queries;
  private RestApi rest;
  private final PlacementBook book = new PlacementBook();
  private AssumptionLog assumptions;
  private NodeMarker nodeMarker;
  private Admin admin;
  private Map<TopicPartition, Long> endAtStart;
  private volatile boolean caughtUp;
  private volatile boolean leading;
  private volatile boolean deciding;
  private StandingAssumptions standing;
  private volatile ReplicaIdentity leader;
  private ReplicaIdentity identity;
  private CompletableFuture<?> election;
  private final ScheduledExecutorService catchUp = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-projector-catch-up"));

  public ProjectorService(ProjectorConfig config, KubernetesClient client, Clock clock) {
    this.config = config;
    this.client = client;
    this.clock = clock;
  }

  /** Starts the stores, the status writer and the API; returns once they are starting. */
  public void start() throws IOException, ExecutionException, InterruptedException {
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    Properties adminProps = new Properties();
    adminProps.putAll(config.streamsProperties());
    admin = Admin.create(adminProps);
    config.topics().createMissing(admin, config.partitions())
        .forEach(topic -> log.info("Created topic {} ({} partitions)", topic.name(), topic.numPartitions()));
    endAtStart = endOffsets();

    status = new StatusWriter(client, json, config.statusWritesPerSecond(), STATUS_WRITERS, clock, metrics);
    streams = new KafkaStreams(ProjectorTopology.build(config.topics().nodeBandwidth(), config.historyRetention(),
        this::nodeChanged), config.streamsProperties());
    streams.setStateListener((now, before) -> log.info("Projector {} (was {})", now, before));
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics);
    queries = new NodeQueries(streams);
    rest = new RestApi(config.httpHost(), config.httpPort(), REST_THREADS, queries, this::health, metrics, json, clock);
    Topic<String, ClusterEvent> events = config.topics().clusterEvents();
    assumptions = new AssumptionLog(new KafkaProducer<>(config.producerProperties(),
        events.keySerde().serializer(), events.valueSerde().serializer()), events, config.applicationId());
    SchedulingSettings settings = config.scheduling();
    Gauge.builder("bwledger.extender.holds", book, b -> b.pendingBinds(clock.instant()))
        .description("Binds the published node states do not show yet").register(metrics);
    nodeMarker = new NodeMarker(client, settings.nodeMarking(), metrics);
    identity = new ReplicaIdentity(config.applicationId(), advertisedHost(), rest.port());
    PodDemand.Reader pods = new PodDemand.Reader(settings.annotationKeys());
    standing = new StandingAssumptions(config.consumerProperties(), events, pods, settings.assumeTimeout());
    rest.mount(ExtenderHandler.PREFIX, new ExtenderHandler(new SchedulerExtender(book, pods, new PodBinder(client),
        assumptions, settings.scoring(), settings.assumeTimeout(), clock, metrics), this::decider, json, metrics));
    streams.start();
    catchUp.scheduleWithFixedDelay(this::caughtUp, 0, 1, TimeUnit.SECONDS);
    election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(config.leaseName())
        .withLock(new LeaseLock(config.leaseNamespace(), config.leaseName(), identity.toString()))
        .withLeaseDuration(LEASE_DURATION)
        .withRenewDeadline(LEASE_DURATION.multipliedBy(2).dividedBy(3))
        .withRetryPeriod(LEASE_DURATION.dividedBy(7))
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startWriting, this::stopWriting, this::newLeader))
        .build()).build().start();
    log.info("Projector reading {} as {}; REST API on http://{}:{}/api/v1/nodes", config.topics().nodeBandwidth().name(),
        config.applicationId(), config.httpHost(), rest.port());
  }

  /** Where other replicas reach this one: the address it listens on, or its host's when it listens on all. */
  private String advertisedHost() {
    if (!config.httpHost().equals("0.0.0.0")) {
      return config.httpHost();
    }
    try {
      return InetAddress.getLocalHost().getHostAddress(); // in a pod: the pod's IP
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  private void newLeader(String holder) {
    leader = ReplicaIdentity.parse(holder).orElse(null);
    log.info("Bandwidth status is written, and extender calls decided, by {}", holder);
  }

  /**
   * The replica that decides extender calls, when another one does; empty when this one does.
   *
   * @throws ExtenderHandler.Unavailable while no replica decides: the election is under way, or this
   *     replica won it and is still reading back the binds standing in the log
   */
  private Optional<URI> decider() {
    ReplicaIdentity now = leader;
    if (now == null) {
      throw new ExtenderHandler.Unavailable("no projector replica decides yet: the election is under way");
    }
    if (!now.equals(identity)) {
      return Optional.of(now.url());
    }
    if (!deciding) {
      throw new ExtenderHandler.Unavailable("this projector is taking over deciding: reading back the binds in flight");
    }
    return Optional.empty();
  }

  /** True while this replica decides the extender's calls (other replicas pass theirs on to it). */
  public boolean decidesExtenderCalls() {
    try {
      return decider().isEmpty();
    } catch (ExtenderHandler.Unavailable e) {
      return false;
    }
  }

  public int port() {
    return rest.port();
  }

  /** A node's new state (null: gone): lists are computed again, the extender sees it, status is written. */
  private void nodeChanged(String node, NodeBandwidth state) {
    rest.nodeChanged();
    book.update(node, state);
    if (leading) {
      status.offer(node, state);
      nodeMarker.offer(node, state);
    }
  }

  /**
   * This replica holds the Lease: it writes status, starting with every node it holds, and decides
   * extender calls once it holds the binds still standing in the log.
   */
  private synchronized void startWriting() {
    leading = true;
    log.info("This projector writes Bandwidth status now");
    if (caughtUp) {
      offerAll();
    }
    catchUp.execute(this::takeOver);
  }

  private synchronized void stopWriting() {
    leading = false;
    deciding = false;
    log.info("This projector no longer writes Bandwidth status nor decides extender calls");
  }

  /**
   * Holds the binds the log shows standing, then decides. The replica that decided before may have
   * bound pods in the last second, which no published state shows yet; without their holds, this
   * one would pass nodes on room they already took.
   */
  private void takeOver() {
    if (!leading) {
      return;
    }
    try {
      int held = book.restore(standing.read(clock.instant()), clock.instant());
      synchronized (this) {
        deciding = leading;
      }
      log.info("This projector decides extender calls now, holding {} binds read back from {}", held,
          config.topics().clusterEvents().name());
    } catch (RuntimeException e) {
      log.warn("Could not read back the binds standing in the log ({}); trying again", e.toString());
      catchUp.schedule(this::takeOver, 1, TimeUnit.SECONDS);
    }
  }

  /** True while this replica holds the Lease and writes status. */
  public boolean writesStatus() {
    return leading;
  }

  private void offerAll() {
    try {
      offerAll(queries.all());
    } catch (NodeQueries.NotReadyException e) {
      log.warn("Could not offer every status yet ({}); each node's next change will", e.getMessage());
    }
  }

  /** Offers every node to what the status-writing replica writes: Bandwidth status and node marks. */
  private void offerAll(List<NodeBandwidth> all) {
    status.offerAll(all);
    nodeMarker.offerAll(all);
  }

  public NodeQueries queries() {
    return queries;
  }

  /** What the probes report. */
  public RestApi.Health health() {
    if (streams == null) {
      return new RestApi.Health(true, false, "starting");
    }
    KafkaStreams.State state = streams.state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
      return new RestApi.Health(false, false, "Kafka Streams is " + state);
    }
    if (state != KafkaStreams.State.RUNNING) {
      return new RestApi.Health(true, false, "Kafka Streams is " + state);
    }
    if (!caughtUp()) {
      return new RestApi.Health(true, false, "reading the ledger's node states up to where they stood at start");
    }
    return new RestApi.Health(true, true, "");
  }

  /**
   * True once the projector has committed, in every partition, the offset the ledger's output had at
   * start. Then every status is offered once more, so objects converge even if the projector was
   * down while their node changed.
   */
  private synchronized boolean caughtUp() {
    if (caughtUp || streams.state() != KafkaStreams.State.RUNNING) {
      return caughtUp;
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata().get();
      boolean done = endAtStart.entrySet().stream().allMatch(end -> end.getValue() == 0
          || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue()));
      if (done) {
        List<NodeBandwidth> all = queries.all();
        book.seed(all);
        if (leading) {
          offerAll(all);
        }
        caughtUp = true;
        log.info("Projector caught up with {}: ready", config.topics().nodeBandwidth().name());
      }
      return done;
    } catch (ExecutionException | RuntimeException e) {
      log.debug("Cannot tell yet whether the projector caught up: {}", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException {
    String topic = config.topics().nodeBandwidth().name();
    Set<TopicPartition> partitions = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic)
        .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
    return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  @Override
  public void close() {
    catchUp.shutdownNow();
    // No more calls, then every bind made is in the log, then the Lease goes: the next decider reads
    // back every bind this one made.
    if (rest != null) {
      rest.close();
    }
    if (assumptions != null) {
      assumptions.close();
    }
    if (election != null) {
      election.cancel(true); // releases the Lease, so another replica takes over at once
    }
    if (nodeMarker != null) {
      nodeMarker.close();
    }
    if (streams != null) {
      // Leave the group: a restarted member is not kept waiting for the old one's session to expire.
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (status != null) {
      status.close();
    }
    if (admin != null) {
      admin.close();
    }
    metrics.close();
  }
}
