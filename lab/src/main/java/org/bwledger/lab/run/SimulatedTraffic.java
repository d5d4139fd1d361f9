package org.bwledger.lab.run;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bwledger.ingest.app.IngestConfig;
import org.bwledger.ingest.publish.EventLog;
import org.bwledger.runtime.kafka.KafkaSettings;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.TrafficSampled;
import org.bwledger.schemas.topic.Topic;

/**
 * What the simulated nodes carry, as a traffic source would sample it: each node's {@code eth0}
 * counters grow at a rate of its own, drawn from the seed (from a tenth to nine tenths of a 1 Gbit/s
 * link, ingress three fifths of egress), wandering by a tenth either way at every sample. So some
 * nodes carry more than their pods reserve and some less. The same seed gives the same counters.
 */
final class SimulatedTraffic implements AutoCloseable {

  private static final double LINK_MBPS = 1_000;

  private final List<String> nodes;
  private final Random random;
  private final double[] baseMbps;
  private final long[] transmitted;
  private final long[] received;
  private final Duration interval;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
      runnable -> new Thread(runnable, "bwledger-simulated-traffic"));
  private EventLog events;

  SimulatedTraffic(List<String> nodes, long seed, Duration interval) {
    this.nodes = List.copyOf(nodes);
    this.random = new Random(seed ^ 0x7a11f1cL); // a stream apart from the workload's, which takes the seed as is
    this.interval = interval;
    this.baseMbps = new double[nodes.size()];
    this.transmitted = new long[nodes.size()];
    this.received = new long[nodes.size()];
    for (int n = 0; n < nodes.size(); n++) {
      baseMbps[n] = LINK_MBPS * (0.1 + 0.8 * random.nextDouble());
      transmitted[n] = random.nextInt(1 << 30);
      received[n] = random.nextInt(1 << 30);
    }
  }

  /** The next sample of every node, the counters grown by one interval at each node's rate, dated {@code at}. */
  List<TrafficSampled> next(Instant at) {
    List<TrafficSampled> samples = new ArrayList<>();
    double seconds = interval.toMillis() / 1000.0;
    for (int n = 0; n < nodes.size(); n++) {
      double mbps = baseMbps[n] * (0.9 + 0.2 * random.nextDouble());
      transmitted[n] += (long) (mbps * 1_000_000 / 8 * seconds);
      received[n] += (long) (mbps * 0.6 * 1_000_000 / 8 * seconds);
      samples.add(new TrafficSampled(nodes.get(n), at, "simulated",
          List.of(new InterfaceCounters("eth0", transmitted[n], received[n]))));
    }
    return samples;
  }

  /** Appends every node's sample to the cluster-events topic each interval, as ingest's sampler would. */
  void start(KafkaSettings kafka, Clock clock) {
    Topic<String, ClusterEvent> topic = kafka.topics().clusterEvents();
    events = new EventLog(topic, EventLog.producers(topic, IngestConfig.defaults().withKafka(kafka).producerProperties()),
        10_000, new SimpleMeterRegistry());
    sampler.scheduleAtFixedRate(() -> {
      Instant at = clock.instant();
      try {
        for (TrafficSampled sample : next(at)) {
          events.append(new ClusterEvent("simulated-traffic-" + sample.getNode() + "-" + at.toEpochMilli(), at, "",
              sample));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    sampler.shutdownNow();
    sampler.awaitTermination(5, TimeUnit.SECONDS);
    if (events != null) {
      events.close();
    }
  }
}
