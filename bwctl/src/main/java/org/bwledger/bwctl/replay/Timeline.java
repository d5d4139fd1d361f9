package org.bwledger.bwctl.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.schemas.state.LinkFigures;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Each node's books over a replay: a sample whenever an event changed its figures, at the event's
 * observation time (several changes at one instant keep the last), so the timeline depends on the
 * history alone. The spells below 0 follow from the samples.
 */
public final class Timeline {

  /**
   * What a node held from {@code at} until its next sample.
   *
   * @param oversubscribed the dimensions below 0, empty when none
   */
  public record Sample(Instant at, LinkFigures capacity, LinkFigures used, LinkFigures remaining, int reservations,
      List<String> oversubscribed) {

    boolean sameFiguresAs(Sample other) {
      return capacity.equals(other.capacity) && used.equals(other.used) && remaining.equals(other.remaining)
          && reservations == other.reservations && oversubscribed.equals(other.oversubscribed);
    }
  }

  /**
   * A time a node spent below 0 in some dimension.
   *
   * @param to when it ended, or the timeline's end for a spell still under way ({@code open})
   */
  public record Spell(String node, Instant from, Instant to, boolean open, List<String> dimensions) {}

  private final SortedMap<String, List<Sample>> nodes = new TreeMap<>();
  private Instant start;
  private Instant end;

  /** Samples the nodes the event just folded changed. */
  void observe(LocalFold fold, Instant at) {
    start = start == null ? at : start;
    end = at;
    for (String node : fold.touchedNodes()) {
      NodeBandwidth state = fold.published(node);
      if (state == null) {
        continue;
      }
      Sample sample = new Sample(at, state.getCapacity(), state.getUsed(), state.getRemaining(),
          state.getReservations().size(), List.copyOf(state.getOversubscribed()));
      List<Sample> samples = nodes.computeIfAbsent(node, name -> new ArrayList<>());
      Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
      if (last != null && last.at().equals(at)) {
        samples.set(samples.size() - 1, sample);
      } else if (last == null || !last.sameFiguresAs(sample)) {
        samples.add(sample);
      }
    }
  }

  /** Each node's samples, oldest first, by node name. */
  public SortedMap<String, List<Sample>> nodes() {
    return Collections.unmodifiableSortedMap(nodes);
  }

  /** When the first event folded was observed; null for an empty replay. */
  public Instant start() {
    return start;
  }

  /** When the last event folded was observed; null for an empty replay. */
  public Instant end() {
    return end;
  }

  /** Every spell below 0, by node then time, with every dimension that was below 0 during it. */
  public List<Spell> spells() {
    List<Spell> spells = new ArrayList<>();
    nodes.forEach((node, samples) -> {
      Instant since = null;
      TreeSet<String> dimensions = new TreeSet<>();
      for (Sample sample : samples) {
        if (!sample.oversubscribed().isEmpty()) {
          since = since == null ? sample.at() : since;
          dimensions.addAll(sample.oversubscribed());
        } else if (since != null) {
          spells.add(new Spell(node, since, sample.at(), false, List.copyOf(dimensions)));
          since = null;
          dimensions.clear();
        }
      }
      if (since != null) {
        spells.add(new Spell(node, since, end, true, List.copyOf(dimensions)));
      }
    });
    return spells;
  }
}
