package org.bwledger.projector.leadership;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bwledger.projector.extender.ExtenderEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which projector replica writes Bandwidth status and decides the scheduler extender's calls: the one
 * holding a Lease, so a node has one status write in flight and a burst of binds meets one placement
 * book however many replicas run. Every replica learns the holder from the Lease, which names it
 * ({@link ReplicaIdentity}), and passes extender calls on to it.
 *
 * <p>A replica that wins the Lease writes status at once, but decides extender calls only once it
 * holds the binds its predecessor made that no published state shows yet ({@code takeOver}); until
 * then, and while no replica holds the Lease, extender calls are refused and the scheduler retries.
 */
public final class Leadership implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  private static final Duration TAKEOVER_RETRY = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final String namespace;
  private final String leaseName;
  private final String scheme;
  private volatile ReplicaIdentity identity;
  private final Callable<Integer> takeOver;
  private final Runnable startedWriting;
  private final ScheduledExecutorService takeovers = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-projector-takeover"));
  private volatile boolean leading;
  private volatile boolean deciding;
  private volatile ReplicaIdentity leader;
  private CompletableFuture<?> election;

  /**
   * @param scheme how replicas' extenders are reached: {@code http} or {@code https}
   * @param takeOver holds the binds standing in the log and returns how many; retried until it succeeds
   * @param startedWriting called each time this replica starts writing status
   */
  public Leadership(KubernetesClient client, String namespace, String leaseName, String scheme,
      Callable<Integer> takeOver, Runnable startedWriting) {
    this.client = client;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.scheme = scheme;
    this.takeOver = takeOver;
    this.startedWriting = startedWriting;
  }

  /**
   * Joins the election as {@code identity}; returns at once. Until a holder is known, no replica
   * decides.
   */
  public void start(ReplicaIdentity identity) {
    this.identity = identity;
    election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
        .withName(leaseName)
        .withLock(new LeaseLock(namespace, leaseName, identity.toString()))
        .withLeaseDuration(LEASE_DURATION)
        .withRenewDeadline(LEASE_DURATION.multipliedBy(2).dividedBy(3))
        .withRetryPeriod(LEASE_DURATION.dividedBy(7))
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(this::startLeading, this::stopLeading, this::newLeader))
        .build()).build().start();
  }

  /** True while this replica holds the Lease and writes status. */
  public boolean writesStatus() {
    return leading;
  }

  /**
   * The replica that decides extender calls, when another one does; empty when this one does.
   *
   * @throws ExtenderEndpoint.Unavailable while no replica decides: the election is under way, or this
   *     replica won it and is still reading back the binds standing in the log
   */
  public Optional<URI> decider() {
    ReplicaIdentity now = leader;
    if (now == null) {
      throw new ExtenderEndpoint.Unavailable("no projector replica decides yet: the election is under way");
    }
    if (!now.equals(identity)) {
      return Optional.of(now.url(scheme));
    }
    if (!deciding) {
      throw new ExtenderEndpoint.Unavailable(
          "this projector is taking over deciding: reading back the binds in flight");
    }
    return Optional.empty();
  }

  /** True while this replica decides the extender's calls (other replicas pass theirs on to it). */
  public boolean decidesExtenderCalls() {
    try {
      return decider().isEmpty();
    } catch (ExtenderEndpoint.Unavailable e) {
      return false;
    }
  }

  private void newLeader(String holder) {
    leader = ReplicaIdentity.parse(holder).orElse(null);
    log.info("Bandwidth status is written, and extender calls decided, by {}", holder);
  }

  private void startLeading() {
    synchronized (this) {
      leading = true;
    }
    log.info("This projector writes Bandwidth status now");
    startedWriting.run();
    takeovers.execute(this::takeOver);
  }

  private synchronized void stopLeading() {
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
      int held = takeOver.call();
      synchronized (this) {
        deciding = leading;
      }
      log.info("This projector decides extender calls now, holding {} binds read back from the log", held);
    } catch (Exception e) {
      log.warn("Could not read back the binds standing in the log ({}); trying again", e.toString());
      takeovers.schedule(this::takeOver, TAKEOVER_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Leaves the election, releasing the Lease so that another replica takes over at once. */
  @Override
  public void close() {
    takeovers.shutdownNow();
    if (election != null) {
      election.cancel(true);
    }
  }
}
