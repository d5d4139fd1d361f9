package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Replays a kubectl watch trace through the ledger's fold ({@link LocalFold}: the rules and state
 * transitions of the live topology, in memory) and gives the node states the cluster would hold.
 */
public final class Replay {

  /**
   * What a replay gives.
   *
   * @param nodes the published state per node
   * @param skipped what was skipped, with its position in the trace and why
   */
  public record Result(SortedMap<String, NodeBandwidth> nodes, List<String> skipped,
      List<OversubscriptionReport.NodeOversubscription> oversubscribed) {}

  /**
   * How to replay.
   *
   * @param at fold only what was observed up to this time; null for everything
   * @param capacities what-if capacities per node and dimension
   * @param reportOversubscription whether to follow which nodes went below 0, and when (costs a look at
   *     every node an event changes)
   */
  public record Options(Instant at, List<CapacityOverride> capacities, boolean reportOversubscription) {
    public static final Options ALL = new Options(null, List.of(), false);
  }

  private final LedgerRules rules;

  public Replay(LedgerRules rules) {
    this.rules = rules;
  }

  /** Replays the whole trace. */
  public Result run(BufferedReader trace) throws IOException {
    return run(trace, Options.ALL);
  }

  /** Replays a kubectl (or bwctl record) trace. */
  public Result run(BufferedReader trace, Options options) throws IOException {
    Folding folding = new Folding(options);
    List<String> skipped = new ArrayList<>();
    translate(trace, folding.events(), skipped::add);
    return folding.result(skipped);
  }

  /** Replays cluster events as the log holds them (an exported file). */
  public Result run(Iterable<ClusterEvent> events, Options options) {
    Folding folding = new Folding(options);
    events.forEach(folding.events());
    return folding.result(List.of());
  }

  /** One replay's fold, what-if capacities in front and the report behind. */
  private final class Folding {
    private final LocalFold fold = new LocalFold(rules);
    private final Options options;
    private final OversubscriptionReport report = new OversubscriptionReport();

    Folding(Options options) {
      this.options = options;
    }

    Consumer<ClusterEvent> events() {
      return new WhatIf(options.capacities()).before(event -> {
        if (options.at() != null && event.getObservedAt().isAfter(options.at())) {
          return;
        }
        fold.apply(event);
        if (options.reportOversubscription()) {
          report.observe(fold, event.getObservedAt());
        }
      });
    }

    Result result(List<String> skipped) {
      return new Result(fold.published(), List.copyOf(skipped), report.result());
    }
  }

  /** Reads the trace and hands each cluster event to {@code events}, each skipped item to {@code skipped}. */
  public void translate(BufferedReader trace, Consumer<ClusterEvent> events, Consumer<String> skipped)
      throws IOException {
    ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    TraceTranslator translator = new TraceTranslator(
        new EventTranslator(rules.annotationKeys().all().map(AnnotationKey::name).collect(Collectors.toSet())), json);
    new TraceReader(json).read(trace, new TraceReader.Listener() {
      @Override
      public void event(String type, JsonNode object, String observedAt, String position) {
        try {
          translator.translate(type, object, observedAt).ifPresent(events);
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
