package org.bwledger.ingest.traffic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a traffic source's samples go: the log, as {@link TrafficSampled} events keyed by node. When
 * a node cannot be read, or is no longer found, it says so once: a sample of no interfaces, from
 * which the fold measures nothing, so the node's traffic is unknown (never 0) until two readable
 * samples come again.
 */
final class TrafficLog {

  private static final Logger log = LoggerFactory.getLogger(TrafficLog.class);

  private final EventLog events;
  private final Clock clock;
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Set<String> found = ConcurrentHashMap.newKeySet();
  private final Counter sampled;
  private final Counter failed;

  TrafficLog(EventLog events, Clock clock, MeterRegistry metrics) {
    this.events = events;
    this.clock = clock;
    this.sampled = Counter.builder("bwledger.ingest.traffic.samples").tag("result", "sampled").register(metrics);
    this.failed = Counter.builder("bwledger.ingest.traffic.samples").tag("result", "failed").register(metrics);
  }

  /** The node's counters as read at {@code at}. */
  void sampled(String node, Instant at, String source, List<InterfaceCounters> interfaces) {
    append(node, at, source, interfaces);
    sampled.increment();
    if (failing.remove(node)) {
      log.info("Sampling node {} again from {}", node, source);
    }
  }

  /** The node could not be read: said in the log once, until it can be again. */
  void unreadable(String node, String source, String why) {
    failed.increment();
    if (failing.add(node)) {
      append(node, clock.instant(), source, List.of());
      log.warn("Cannot sample node {} from {}: {}; its traffic is unknown until it can", node, source, why);
    }
  }

  /** The nodes a round found; one found before and not now is unreadable from {@code source}. */
  void found(Set<String> nodes, String source) {
    for (String node : Set.copyOf(found)) {
      if (!nodes.contains(node) && found.remove(node)) {
        unreadable(node, source, "no longer found there");
      }
    }
    found.addAll(nodes);
  }

  private void append(String node, Instant at, String source, List<InterfaceCounters> interfaces) {
    try {
      events.append(new ClusterEvent("traffic-" + node + "-" + at.toEpochMilli(), at, "",
          new TrafficSampled(node, at, source, interfaces)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
