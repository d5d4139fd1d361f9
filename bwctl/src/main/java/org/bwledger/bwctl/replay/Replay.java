package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.bwledger.bwctl.schedule.Scheduling;
import org.bwledger.bwctl.schedule.TrafficMeasures;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.EventBounds;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Replays a kubectl watch trace through the ledger's fold ({@link LocalFold}: the rules and state
 * transitions of the live topology, in memory) and gives the node states the cluster would hold.
 * What the live ledger sends to its dead-letter topic is skipped here, with its position and the
 * same reason: an event outside the {@link EventBounds}, or one on which the fold throws.
 */
public final class Replay {

  /**
   * What a replay gives.
   *
   * @param nodes the published state per node
   * @param skipped what was skipped, with its position in the trace and why
   * @param noted what the fold noted on the way (assumptions lapsed, relists), a line each kind
   */
  public record Result(SortedMap<String, NodeBandwidth> nodes, List<String> skipped,
      List<OversubscriptionReport.NodeOversubscription> oversubscribed, Timeline timeline, Scheduled scheduled,
      List<String> noted) {

    /** The same, with one more thing skipped. */
    public Result skipping(String problem) {
      List<String> all = new ArrayList<>(skipped);
      all.add(problem);
      return new Result(nodes, List.copyOf(all), oversubscribed, timeline, scheduled, noted);
    }

    /** How long nodes were oversubscribed, summed over nodes. */
    public Duration oversubscribedNodeTime() {
      return oversubscribed.stream().map(OversubscriptionReport.NodeOversubscription::total)
          .reduce(Duration.ZERO, Duration::plus);
    }
  }

  /**
   * What became of the pods a replay placed ({@link Options#schedule}), and how the links were used.
   */
  public record Scheduled(Scheduling.Outcome outcome, TrafficMeasures.Figures measures) {}

  /**
   * How to replay.
   *
   * @param at fold only what was observed up to this time; null for everything
   * @param capacities what-if capacities per node and dimension
   * @param reportOversubscription whether to follow which nodes went below 0, and when (costs a look at
   *     every node an event changes)
   * @param recordTimeline whether to keep every node's figures after each change (the result's
   *     timeline; empty otherwise)
   * @param partitions how many partitions the log had (1 for a trace): as live, an extender's
   *     assumption past its deadline is released by the first event of its partition
   * @param schedule place the pods by this plan, and measure how (the result's {@code scheduled}); null
   *     to replay the trace as it is
   */
  public record Options(Instant at, List<CapacityOverride> capacities, boolean reportOversubscription,
      boolean recordTimeline, int partitions, Scheduling.Plan schedule) {
    public static final Options ALL = new Options(null, List.of(), false, false, 1, null);

    /** The same, for a log of {@code count} partitions. */
    public Options withPartitions(int count) {
      return new Options(at, capacities, reportOversubscription, recordTimeline, count, schedule);
    }
  }

  /** Events decoded ahead of the fold: 8 batches of 1,024, a few MiB whatever the file's length. */
  private static final int READ_AHEAD_BATCH = 1_024;
  private static final int READ_AHEAD_BATCHES = 8;

  private final LedgerRules rules;

  public Replay(LedgerRules rules) {
    this.rules = rules;
  }

  /** Replays the whole trace. */
  public Result run(BufferedReader trace) throws IOException {
    return run(trace, Options.ALL);
  }

  /**
   * Replays a kubectl (or bwctl record) trace, parsing and translating it on a second thread while
   * the fold runs on this one.
   */
  public Result run(BufferedReader trace, Options options) throws IOException {
    Folding folding = new Folding(options);
    Consumer<Consumer<Translated>> translated = sink -> {
      try {
        translate(trace, (event, position) -> sink.accept(new Translated(event, position)),
            skip -> sink.accept(new Translated(null, skip)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    try (ReadAhead<Translated> read = new ReadAhead<>(translated, READ_AHEAD_BATCH, READ_AHEAD_BATCHES)) {
      while (read.hasNext()) {
        Translated next = read.next();
        if (next.event() == null) {
          folding.skipped.add(next.where());
        } else {
          folding.apply(next.event(), next.where());
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return folding.result();
  }

  /** What translating a trace gives, in its order: an event and its position, or a skipped item and why. */
  private record Translated(ClusterEvent event, String where) {}

  /**
   * Replays cluster events as the log holds them (an exported file), decoding on a second thread
   * while the fold runs on this one. A damaged file ends the replay where it breaks, reported with
   * the position; one cut short ends silently here (Avro's reader takes it for the end), which
   * {@code EventFile.damage} finds.
   */
  public Result run(Iterable<ClusterEvent> events, Options options) {
    Folding folding = new Folding(options);
    long position = 0;
    try (ReadAhead<ClusterEvent> read = new ReadAhead<>(events.iterator(), READ_AHEAD_BATCH, READ_AHEAD_BATCHES)) {
      while (read.hasNext()) {
        ClusterEvent event = read.next();
        folding.apply(event, "event " + ++position);
      }
    } catch (AvroRuntimeException e) {
      folding.skipped.add("after event " + position + ": the file is damaged ("
          + (e.getCause() == null ? e.getMessage() : e.getCause().toString()) + "); the rest is not replayed");
    }
    return folding.result();
  }

  /**
   * Replays events handed on as they come, each with its position (a log read as it goes, which
   * {@code bwctl audit} folds): {@code source} hands every event to the consumer it is given.
   */
  public Result run(Consumer<BiConsumer<ClusterEvent, String>> source, Options options) {
    Folding folding = new Folding(options);
    source.accept(folding::apply);
    return folding.result();
  }

  /** One replay's fold, what-if capacities in front and the report behind. */
  private final class Folding {
    private final LocalFold fold;
    private final Options options;
    private final OversubscriptionReport report = new OversubscriptionReport();
    private final Timeline timeline = new Timeline();
    private final Scheduling scheduling;
    private final TrafficMeasures measures;
    private final Consumer<ClusterEvent> whatIf;
    private final List<String> skipped = new ArrayList<>();
    private final ReplayNotices notices = new ReplayNotices();

    Folding(Options options) {
      this.options = options;
      this.fold = new LocalFold(rules, options.partitions(), notices);
      if (options.schedule() == null) {
        this.scheduling = null;
        this.measures = null;
        this.whatIf = new WhatIf(options.capacities()).before(this::fold);
      } else {
        this.scheduling = new Scheduling(options.schedule(), rules.annotationKeys(), fold);
        this.measures = new TrafficMeasures();
        this.whatIf = new WhatIf(options.capacities()).before(scheduling.before(this::fold));
      }
    }

    /** Folds one event, or skips it as the live ledger dead-letters it. */
    void apply(ClusterEvent event, String position) {
      Optional<String> violation = EventBounds.violation(event);
      if (violation.isPresent()) {
        skipped.add(position + ": " + violation.get());
        return;
      }
      try {
        whatIf.accept(event);
      } catch (RuntimeException e) {
        skipped.add(position + ": the fold failed on it: " + e);
      }
    }

    private void fold(ClusterEvent event) {
      if (options.at() != null && event.getObservedAt().isAfter(options.at())) {
        return;
      }
      fold.apply(event);
      if (options.reportOversubscription()) {
        report.observe(fold, event.getObservedAt());
      }
      if (options.recordTimeline()) {
        timeline.observe(fold, event.getObservedAt());
      }
      if (measures != null) {
        measures.observe(fold, event.getObservedAt());
      }
    }

    Result result() {
      return new Result(fold.published(), List.copyOf(skipped), report.result(), timeline,
          scheduling == null ? null : new Scheduled(scheduling.outcome(), measures.figures()), notices.lines());
    }
  }

  /**
   * Reads the trace and hands each cluster event to {@code events} with its position in the trace,
   * each skipped item to {@code skipped}.
   */
  public void translate(BufferedReader trace, BiConsumer<ClusterEvent, String> events, Consumer<String> skipped)
      throws IOException {
    ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    TraceTranslator translator = new TraceTranslator(
        new EventTranslator(rules.annotationKeys().all().map(AnnotationKey::name).collect(Collectors.toSet())), json);
    new TraceReader(json, TraceTranslator.FIELDS_READ).read(trace, new TraceReader.Listener() {
      @Override
      public void event(String type, JsonNode object, String observedAt, String position) {
        try {
          translator.translate(type, object, observedAt).ifPresent(event -> events.accept(event, position));
        } catch (IllegalArgumentException e) {
          skipped.accept(position + ": " + e.getMessage());
        }
      }

      @Override
      public void skipped(String position, String reason) {
        skipped.accept(position + ": " + reason);
      }
    });
  }
}
