package org.bwledger.projector.extender;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
  private static final String DEFAULT_SCHEDULER = "default-scheduler";

  /** A call refused for what it asked, not for want of room: answered with {@code status} and why. */
  public static final class Refused extends RuntimeException {
    private final int status;

    public Refused(int status, String why) {
      super(why);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * A bind that did not happen: refused for want of room, or failed at the API server.
   *
   * @param pod the pod's namespace and name
   */
  public record Refusal(Instant at, String pod, String node, String reason) {}

  /** How many refusals {@link #recentRefusals} keeps. */
  static final int REFUSALS_KEPT = 20;

  private final ArrayDeque<Refusal> refusals = new ArrayDeque<>();
  private final PlacementBook book;
  private final PodDemand.Reader reader;
  private final PodBinder binder;
  private final AssumptionLog assumptions;
  private final Scoring scoring;
  private final Set<String> schedulerNames;
  private final Duration assumeTimeout;
  private final Clock clock;
  private final Counter bound;
  private final Counter refused;

  /**
   * @param schedulerNames the scheduler profiles whose pods bind binds
   * @param assumeTimeout how long a bind's hold, and its assumption in the log, stand without the pod
   *     showing up on the node
   */
  public SchedulerExtender(PlacementBook book, PodDemand.Reader reader, PodBinder binder, AssumptionLog assumptions,
      Scoring scoring, Set<String> schedulerNames, Duration assumeTimeout, Clock clock, MeterRegistry metrics) {
    this.book = book;
    this.reader = reader;
    this.binder = binder;
    this.assumptions = assumptions;
    this.scoring = scoring;
    this.schedulerNames = Set.copyOf(schedulerNames);
    this.assumeTimeout = assumeTimeout;
    this.clock = clock;
    this.bound = Counter.builder("bwledger.extender.binds").tag("result", "bound").register(metrics);
    this.refused = Counter.builder("bwledger.extender.binds").tag("result", "refused").register(metrics);
  }

  /** The candidates that can take the pod, in the form they were given; the others with why. */
  public FilterResult filter(Args args) {
    PodDemand pod = reader.read(args.pod());
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

  /**
   * Binds the pod if the node can still take it; an error otherwise, and the scheduler tries again.
   * Nothing the caller says is believed but the names: the pod is read from the API server, and must
   * be the one named (same uid), unbound and of one of this extender's scheduler profiles; what it
   * holds is what its own annotations ask.
   *
   * @throws Refused when the call names no such pod, or one the extender may not bind
   */
  public BindingResult bind(BindingArgs args) {
    BindRequest request = BindRequest.of(args);
    Pod current = binder.pod(request)
        .orElseThrow(() -> new Refused(404, "no pod " + request.namespace() + "/" + request.pod()));
    PodDemand pod = bindable(request, current);
    boolean counted = pod.declared() && pod.request().isValid();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(assumeTimeout);
    if (counted) {
      String why = book.hold(request.node(), pod, now, expiresAt);
      if (why != null) {
        refused.increment();
        remember(new Refusal(now, pod.namespace() + "/" + pod.name(), request.node(), why));
        log.info("Refused to bind {}: {}", request, why);
        return new BindingResult("node " + request.node() + " can no longer take pod " + pod.namespace() + "/"
            + pod.name() + ": " + why);
      }
    }
    try {
      binder.bind(request);
    } catch (KubernetesClientException e) {
      // A refusal (4xx) bound nothing. Anything else may have bound the pod all the same: keep the
      // hold, which lapses when the state shows the pod or at the deadline.
      if (e.getCode() >= 400 && e.getCode() < 500) {
        book.release(pod.uid());
      }
      String why = e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage()
          : "the API server answered " + (e.getCode() > 0 ? e.getCode() : "nothing");
      log.info("Binding {} failed: {}", request, why);
      remember(new Refusal(now, request.namespace() + "/" + request.pod(), request.node(), "binding failed: " + why));
      return new BindingResult("binding failed: " + why);
    }
    if (counted) {
      assumptions.record(pod, request.node(), now, expiresAt);
    }
    bound.increment();
    return new BindingResult("");
  }

  /** The binds the published node states do not show yet. */
  public List<PlacementBook.Hold> holds() {
    return book.holds(clock.instant());
  }

  /** The last {@value #REFUSALS_KEPT} binds that did not happen, newest first. */
  public List<Refusal> recentRefusals() {
    synchronized (refusals) {
      return List.copyOf(refusals);
    }
  }

  private void remember(Refusal refusal) {
    synchronized (refusals) {
      refusals.addFirst(refusal);
      if (refusals.size() > REFUSALS_KEPT) {
        refusals.removeLast();
      }
    }
  }

  /** The pod's demand, once it is the pod named, unbound, and this extender's to bind. */
  private PodDemand bindable(BindRequest request, Pod pod) {
    String name = request.namespace() + "/" + request.pod();
    if (!request.uid().equals(pod.getMetadata().getUid())) {
      throw new Refused(409, "pod " + name + " is not the pod of uid " + request.uid() + " (deleted and created again?)");
    }
    if (pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
      throw new Refused(409, "pod " + name + " is bound to node " + pod.getSpec().getNodeName() + " already");
    }
    String scheduler = pod.getSpec() == null || pod.getSpec().getSchedulerName() == null
        ? DEFAULT_SCHEDULER : pod.getSpec().getSchedulerName();
    if (!schedulerNames.contains(scheduler)) {
      throw new Refused(403, "pod " + name + " is scheduled by " + scheduler + ", not by "
          + String.join(" or ", new TreeSet<>(schedulerNames)));
    }
    return reader.read(pod);
  }

  private static List<String> candidates(Args args) {
    return args.nodeNames() != null ? args.nodeNames() : args.nodes().names();
  }
}
