package org.bwledger.projector.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.bwledger.projector.extender.AssumptionLog;
import org.bwledger.projector.extender.ExtenderEndpoint;
import org.bwledger.projector.extender.PlacementBook;
import org.bwledger.projector.extender.PodBinder;
import org.bwledger.projector.extender.PodDemand;
import org.bwledger.projector.extender.SchedulerExtender;
import org.bwledger.projector.extender.StandingAssumptions;
import org.bwledger.projector.leadership.Leadership;
import org.bwledger.projector.leadership.ReplicaIdentity;
import org.bwledger.projector.nodes.NodeMarker;
import org.bwledger.projector.query.NodeQueries;
import org.bwledger.projector.query.RestoringStores;
import org.bwledger.projector.admission.AdmissionEndpoint;
import org.bwledger.projector.admission.PodAdmission;
import org.bwledger.projector.dashboard.Dashboard;
import org.bwledger.projector.rest.ApiRoutes;
import org.bwledger.projector.status.StatusWriter;
import org.bwledger.projector.topology.CatchUp;
import org.bwledger.projector.topology.InputProgress;
import org.bwledger.projector.topology.ProjectorTopology;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.HttpServer;
import org.bwledger.runtime.http.HttpSettings;
import org.bwledger.runtime.http.ServiceListeners;
import org.bwledger.runtime.kafka.FatalFailure;
import org.bwledger.runtime.kafka.SharedTopics;
import org.bwledger.runtime.metrics.ProcessMetrics;
import org.bwledger.runtime.process.Health;
import org.bwledger.runtime.process.Service;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;
import org.bwledger.schemas.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projector process, wired: the stores of the ledger's node states ({@link ProjectorTopology}),
 * the REST API over them, the scheduler extender, and what the replica holding the Lease writes
 * (Bandwidth status, node marks). Each new state goes to all of them ({@link #nodeChanged}).
 *
 * <p>Ready once its stores have read the ledger's output up to where it stood at start ({@link
 * CatchUp}); then the extender's book is filled from the stores, and whenever this replica starts
 * writing, every status is offered again once, so status converges whatever it was before
 * (level-triggered, as a controller would).
 */
public final class ProjectorService implements Service {

  private static final Logger log = LoggerFactory.getLogger(ProjectorService.class);
  private static final int STATUS_WRITERS = 4;

  private final ProjectorConfig config;
  private final KubernetesClient client;
  private final Guard guard;
  private final Clock clock;
  private final ProcessMetrics metrics = new ProcessMetrics();
  private final ObjectMapper json = new ObjectMapper();
  private final PlacementBook book;
  private StatusWriter status;
  private NodeMarker nodeMarker;
  private KafkaStreams streams;
  private volatile FatalFailure fatal;
  private final CompletableFuture<String> failure = new CompletableFuture<>();
  private KafkaStreamsMetrics streamsMetrics;
  private NodeQueries queries;
  private ApiRoutes api;
  private AssumptionLog assumptions;
  private Admin admin;
  private CatchUp catchUp;
  private InputProgress input;
  private Leadership leadership;
  private ServiceListeners listeners;
  private HttpServer extenderListener;
  private HttpServer admissionListener;
  private boolean storesCaughtUp;

  /** @param guard who may read the REST API and the metrics */
  public ProjectorService(ProjectorConfig config, KubernetesClient client, Guard guard, Clock clock) {
    this.config = config;
    this.book = new PlacementBook(config.scheduling().measuredHeadroom());
    this.client = client;
    this.guard = guard;
    this.clock = clock;
  }

  /** Starts the stores, the status writer, the API and the extender, and joins the election; returns once they are starting. */
  @Override
  public void start() throws Exception {
    SharedTopics.ensure(config.kafka());
    status = new StatusWriter(client, json, config.statusWritesPerSecond(), STATUS_WRITERS, clock, metrics.registry());
    nodeMarker = new NodeMarker(client, config.scheduling().nodeMarking(), metrics.registry());
    streams = new KafkaStreams(ProjectorTopology.build(config.kafka().topics().nodeBandwidth(),
        config.historyRetention(), this::nodeChanged), config.streamsProperties());
    streams.setStateListener((now, before) -> log.info("Projector {} (was {})", now, before));
    RestoringStores restoring = new RestoringStores();
    streams.setGlobalStateRestoreListener(restoring);
    streams.setUncaughtExceptionHandler(e -> {
      stopped(FatalFailure.report("Projector", e, config.stateDir(), log));
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics.registry());
    queries = new NodeQueries(streams, restoring);
    admin = Admin.create(config.kafka().clientProperties(Map.of()));
    catchUp = new CatchUp(admin, config.applicationId(), config.kafka().topics().nodeBandwidth().name(),
        () -> streams.state() == KafkaStreams.State.RUNNING, this::caughtUp);
    input = new InputProgress(admin, config.kafka().topics().clusterEvents().name(),
        config.staleness().ledgerApplicationId(), config.kafka().topics().nodeBandwidth().name(),
        config.applicationId(), config.staleness().after(), clock, metrics.registry());

    Topic<String, ClusterEvent> events = config.kafka().topics().clusterEvents();
    assumptions = new AssumptionLog(new KafkaProducer<>(config.producerProperties(),
        events.keySerde().serializer(), events.valueSerde().serializer()), events, config.applicationId());
    SchedulingSettings settings = config.scheduling();
    PodDemand.Reader pods = new PodDemand.Reader(settings.annotationKeys());
    StandingAssumptions standing = new StandingAssumptions(config.consumerProperties(), events, pods,
        settings.assumeTimeout());
    HttpSettings extenderAt = config.extender();
    leadership = new Leadership(client, config.leaseNamespace(), config.leaseName(),
        extenderAt == null ? "http" : extenderAt.scheme(),
        () -> book.restore(standing.read(clock.instant()), clock.instant()), this::startedWriting);
    Gauge.builder("bwledger.extender.holds", book, b -> b.pendingBinds(clock.instant()))
        .description("Binds the published node states do not show yet").register(metrics.registry());
    // Counts, not a series a node: per-node figures would grow /metrics with the cluster.
    Gauge.builder("bwledger.projector.nodes", () -> nodes(false))
        .description("Nodes this projector holds books of").register(metrics.registry());
    Gauge.builder("bwledger.projector.nodes.oversubscribed", () -> nodes(true))
        .description("Nodes whose remaining bandwidth is below 0 in some dimension").register(metrics.registry());

    SchedulerExtender scheduler = extenderAt == null ? null : new SchedulerExtender(book, pods,
        new PodBinder(client), assumptions, settings.scoring(), settings.schedulerNames(), settings.assumeTimeout(),
        clock, metrics.registry());
    api = new ApiRoutes(queries, scheduler, guard, json, metrics.registry(), clock);
    metrics.watch(this::health);
    listeners = ServiceListeners.start("projector", config.serving(), this::health,
        Dashboard.addTo(metrics.addTo(api.router())));
    if (config.admission() != null) {
      AdmissionEndpoint admission = new AdmissionEndpoint(new PodAdmission(pods, this::knownNodes), json,
          metrics.registry());
      admissionListener = HttpServer.start("projector-admission", config.admission(), HttpServer.Limits.ADMISSION,
          admission.router());
      log.info("Admission webhooks on https://{}:{} ({}, {}, {})", config.admission().host(),
          admissionListener.port(), AdmissionEndpoint.VALIDATE, AdmissionEndpoint.FITS, AdmissionEndpoint.TOLERATE);
    }
    if (scheduler != null) {
      ExtenderEndpoint extender = new ExtenderEndpoint(scheduler, leadership::decider,
          extenderAt.tls() == null ? null : extenderAt.tls().sslContext(), json, metrics.registry());
      extenderListener = HttpServer.start("projector-extender", extenderAt, HttpServer.Limits.EXTENDER,
          extender.router());
      log.info("Scheduler extender on {}://{}:{}{}", extenderAt.scheme(), extenderAt.host(), extenderListener.port(),
          ExtenderEndpoint.PREFIX);
    }
    catchUp.start();
    input.start();
    try {
      streams.start();
    } catch (StreamsException e) { // a store it opens at start cannot be read
      stopped(FatalFailure.report("Projector", e, config.stateDir(), log));
    }
    leadership.start(new ReplicaIdentity(config.applicationId(), advertisedHost(),
        extenderListener == null ? listeners.apiPort() : extenderListener.port()));
    log.info("Projector reading {} as {}", config.kafka().topics().nodeBandwidth().name(), config.applicationId());
  }

  /**
   * Where other replicas reach this one's extender: the name configured (one its certificate holds),
   * or the address it listens on, or its host's when it listens on all.
   */
  private String advertisedHost() {
    if (config.advertiseHost() != null && !config.advertiseHost().isBlank()) {
      return config.advertiseHost();
    }
    String host = config.extender() == null ? config.serving().api().host() : config.extender().host();
    if (!host.equals("0.0.0.0")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostAddress(); // in a pod: the pod's IP
    } catch (UnknownHostException e) {
      return "127.0.0.1";
    }
  }

  /** True while this replica decides the extender's calls (other replicas pass theirs on to it). */
  public boolean decidesExtenderCalls() {
    return leadership.decidesExtenderCalls();
  }

  /** True while this replica holds the Lease and writes status. */
  public boolean writesStatus() {
    return leadership.writesStatus();
  }

  /** Where the probes, and the REST API with the metrics, are served. */
  /** Every node's books, or none while they cannot be read: admission then refuses nothing for capacity. */
  private List<NodeBandwidth> knownNodes() {
    try {
      return queries.all();
    } catch (NodeQueries.NotReadyException e) {
      return List.of();
    }
  }

  /** How many nodes the books hold (only those oversubscribed), or NaN while they cannot be read. */
  private double nodes(boolean oversubscribedOnly) {
    try {
      return queries.all().stream().filter(node -> !oversubscribedOnly || !node.getOversubscribed().isEmpty()).count();
    } catch (NodeQueries.NotReadyException e) {
      return Double.NaN;
    }
  }

  public ServiceListeners listeners() {
    return listeners;
  }

  /** The port of the scheduler extender; none when it is not served. */
  public int extenderPort() {
    if (extenderListener == null) {
      throw new IllegalStateException("this projector serves no scheduler extender");
    }
    return extenderListener.port();
  }

  /** The port of the admission webhooks; none when they are not served. */
  public int admissionPort() {
    if (admissionListener == null) {
      throw new IllegalStateException("this projector serves no admission webhooks");
    }
    return admissionListener.port();
  }

  public NodeQueries queries() {
    return queries;
  }

  /** A node's new state (null: gone): lists are computed again, the extender sees it, status is written. */
  private void nodeChanged(String node, NodeBandwidth state) {
    input.stateArrived(state);
    api.nodeChanged(node);
    book.update(node, state);
    if (leadership.writesStatus()) {
      status.offer(node, state);
      nodeMarker.offer(node, state);
    }
  }

  /** The stores caught up: the extender's book starts from them, and the writer, if this replica is it, offers them all. */
  private synchronized void caughtUp() {
    List<NodeBandwidth> all = queries.all();
    book.seed(all);
    if (leadership.writesStatus()) {
      offerAll(all);
    }
    storesCaughtUp = true;
  }

  /** This replica won the Lease: it writes every node it holds, if its stores hold them yet. */
  private synchronized void startedWriting() {
    if (!storesCaughtUp) {
      return; // caughtUp() offers them all
    }
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

  /** Completes when its stores stopped for good: the process stops, and its next start begins anew. */
  @Override
  public CompletableFuture<String> stoppedForGood() {
    return failure;
  }

  private void stopped(FatalFailure why) {
    fatal = why;
    failure.complete(why.toString());
  }

  @Override
  public Health health() {
    if (streams == null) {
      return Health.notReady("starting");
    }
    FatalFailure stopped = fatal;
    if (stopped != null) {
      return Health.dead(stopped.toString());
    }
    KafkaStreams.State state = streams.state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
      return Health.dead("Kafka Streams is " + state);
    }
    if (state != KafkaStreams.State.RUNNING) {
      return Health.notReady("Kafka Streams is " + state);
    }
    if (!catchUp.caughtUp()) {
      return Health.notReady("reading the ledger's node states up to where they stood at start");
    }
    return input.stale().map(Health::notReady).orElse(Health.OK);
  }

  /**
   * No more calls, then every bind made is in the log, then the Lease goes: the next decider reads
   * back every bind this one made.
   */
  @Override
  public void close() {
    if (catchUp != null) {
      catchUp.close();
    }
    if (input != null) {
      input.close();
    }
    if (extenderListener != null) {
      extenderListener.close();
    }
    if (admissionListener != null) {
      admissionListener.close();
    }
    if (listeners != null) {
      listeners.close();
    }
    if (assumptions != null) {
      assumptions.close();
    }
    if (leadership != null) {
      leadership.close();
    }
    if (nodeMarker != null) {
      nodeMarker.close();
    }
    if (streams != null) {
      // Leave the group: a restarted member is not kept waiting for the old one's session to expire.
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      if (fatal != null && fatal.localState()) {
        streams.cleanUp(); // the next start restores the stores from their changelogs
      }
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
