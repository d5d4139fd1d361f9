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
import org.bwledger.ingest.events.EventTranslator;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.ledger.rules.AnnotationKey;
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
  public record Result(SortedMap<String, NodeBandwidth> nodes, List<String> skipped) {}

  private final LedgerRules rules;

  public Replay(LedgerRules rules) {
    this.rules = rules;
  }

  /** Replays the whole trace. */
  public Result run(BufferedReader trace) throws IOException {
    return run(trace, null);
  }

  /** Replays a kubectl trace up to {@code at} (null: all of it); events observed later are left out. */
  public Result run(BufferedReader trace, Instant at) throws IOException {
    LocalFold fold = new LocalFold(rules);
    List<String> skipped = new ArrayList<>();
    translate(trace, until(at, fold), skipped::add);
    return new Result(fold.published(), List.copyOf(skipped));
  }

  /** Replays cluster events as the log holds them (an exported file) up to {@code at} (null: all). */
  public Result run(Iterable<ClusterEvent> events, Instant at) {
    LocalFold fold = new LocalFold(rules);
    Consumer<ClusterEvent> folding = until(at, fold);
    events.forEach(folding);
    return new Result(fold.published(), List.of());
  }

  private static Consumer<ClusterEvent> until(Instant at, LocalFold fold) {
    return event -> {
      if (at == null || !event.getObservedAt().isAfter(at)) {
        fold.apply(event);
      }
    };
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
