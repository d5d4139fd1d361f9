package org.bwledger.projector.extender;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bwledger.projector.extender.ExtenderProtocol.Args;
import org.bwledger.projector.extender.ExtenderProtocol.BindingArgs;
import org.bwledger.projector.extender.ExtenderProtocol.BindingResult;
import org.bwledger.projector.extender.ExtenderProtocol.FilterResult;
import org.bwledger.projector.extender.ExtenderProtocol.HostPriority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler extender's verbs (DESIGN §6). Filter and prioritize read the {@link PlacementBook};
 * bind holds the pod's bandwidth in the book, then creates the pod's Binding, then records the
 * assumption in the log, so the fold counts the pod before ingest sees it placed.
 *
 * <p>kube-scheduler filters the next pod while earlier binds are still under way, so a filter can
 * pass a node on room a bind is about to take. Bind checks again under the book's lock and refuses
 * when the room is gone; the scheduler then tries the pod again, and its next filter sees the hold.
 */
public final class SchedulerExtender {

  private static final Logger log = LoggerFactory.getLogger(SchedulerExtender.class);
  private static final int REMEMBERED_PODS = 10_000;

  private final PlacementBook book;
  private final PodDemand.Reader reader;
  private final PodBinder binder;
  private final AssumptionLog assumptions;
  private final Scoring scoring;
  private final Duration assumeTimeout;
  private final Clock clock;
  private final Counter bound;
  private final Counter refused;
  /** The pods filter saw, by uid: bind is told only a pod's name. */
  private final Map<String, PodDemand> filtered = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PodDemand> eldest) {
      return size() > REMEMBERED_PODS;
    }
  };

  /**
   * @param assumeTimeout how long a bind's hold, and its assumption in the log, stand without the pod
   *     showing up on the node
   */
  public SchedulerExtender(PlacementBook book, PodDemand.Reader reader, PodBinder binder, AssumptionLog assumptions,
      Scoring scoring, Duration assumeTimeout, Clock clock, MeterRegistry metrics) {
    this.book = book;
    this.reader = reader;
    this.binder = binder;
    this.assumptions = assumptions;
    this.scoring = scoring;
    this.assumeTimeout = assumeTimeout;
    this.clock = clock;
    this.bound = Counter.builder("bwledger.extender.binds").tag("result", "bound").register(metrics);
    this.refused = Counter.builder("bwledger.extender.binds").tag("result", "refused").register(metrics);
  }

  /** The candidates that can take the pod, in the form they were given; the others with why. */
  public FilterResult filter(Args args) {
    PodDemand pod = remember(reader.read(args.pod()));
    List<String> candidates = candidates(args);
    Map<String, String> failed = Map.of();
    Map<String, String> unresolvable = Map.of();
    if (pod.declared() && !pod.request().isValid()) {
      unresolvable = new LinkedHashMap<>();
      for (String node : candidates) {
        unresolvable.put(node, "bandwidth annotations do not parse: " + pod.request().invalidReason());
      }
    } else if (pod.declared()) {
      failed = book.shortfalls(candidates, pod, clock.instant());
    }
    List<String> passing = new ArrayList<>(candidates);
    passing.removeAll(failed.keySet());
    passing.removeAll(unresolvable.keySet());
    return args.nodeNames() != null
        ? new FilterResult(null, passing, failed, unresolvable, "")
        : new FilterResult(args.nodes().only(new HashSet<>(passing)), null, failed, unresolvable, "");
  }

  /** A score from 0 to 10 for every candidate. */
  public List<HostPriority> prioritize(Args args) {
    PodDemand pod = reader.read(args.pod());
    List<HostPriority> priorities = new ArrayList<>();
    book.scores(candidates(args), pod, scoring, clock.instant())
        .forEach((node, score) -> priorities.add(new HostPriority(node, score)));
    return priorities;
  }

  /** Binds the pod if the node can still take it; an error otherwise, and the scheduler tries again. */
  public BindingResult bind(BindingArgs args) {
    PodDemand pod = demandOf(args);
    if (pod == null) {
      return new BindingResult("pod " + args.podNamespace() + "/" + args.podName() + " (uid " + args.podUid()
          + ") does not exist");
    }
    boolean counted = pod.declared() && pod.request().isValid();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(assumeTimeout);
    if (counted) {
      String why = book.hold(args.node(), pod, now, expiresAt);
      if (why != null) {
        refused.increment();
        log.info("Refused to bind {}/{} to {}: {}", pod.namespace(), pod.name(), args.node(), why);
        return new BindingResult("node " + args.node() + " can no longer take pod " + pod.namespace() + "/"
            + pod.name() + ": " + why);
      }
    }
    try {
      binder.bind(args.podNamespace(), args.podName(), args.podUid(), args.node());
    } catch (KubernetesClientException e) {
      // A refusal (4xx) bound nothing. Anything else may have bound the pod all the same: keep the
      // hold, which lapses when the state shows the pod or at the deadline.
      if (e.getCode() >= 400 && e.getCode() < 500) {
        book.release(pod.uid());
      }
      log.info("Binding {}/{} to {} failed: {}", pod.namespace(), pod.name(), args.node(), e.getMessage());
      return new BindingResult("binding failed: " + e.getMessage());
    }
    if (counted) {
      assumptions.record(pod, args.node(), now, expiresAt);
    }
    bound.increment();
    return new BindingResult("");
  }

  private synchronized PodDemand remember(PodDemand pod) {
    filtered.put(pod.uid(), pod);
    return pod;
  }

  private PodDemand demandOf(BindingArgs args) {
    synchronized (this) {
      PodDemand seen = filtered.remove(args.podUid());
      if (seen != null) {
        return seen;
      }
    }
    // Filtered by another replica, or before a restart: ask the API server.
    return binder.pod(args.podNamespace(), args.podName())
        .filter(p -> args.podUid().equals(p.getMetadata().getUid()))
        .map(reader::read)
        .orElse(null);
  }

  private static List<String> candidates(Args args) {
    return args.nodeNames() != null ? args.nodeNames() : args.nodes().names();
  }
}
