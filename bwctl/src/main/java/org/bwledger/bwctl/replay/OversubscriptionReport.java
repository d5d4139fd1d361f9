package org.bwledger.bwctl.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bwledger.bwctl.output.BandwidthTable;
import org.bwledger.ledger.fold.LocalFold;
import org.bwledger.schemas.state.NodeBandwidth;

/**
 * Which nodes were oversubscribed during a replay, and when: first time, how long in all, how many
 * times, in which dimensions. Times are the events' observation times, so the report depends on the
 * history alone.
 */
final class OversubscriptionReport {

  /**
   * One node's oversubscription over the replay.
   *
   * @param first when it first went below 0
   * @param total how long it stayed below 0, in all (up to the last event for a spell still open)
   * @param spells how many times it went below 0
   * @param dimensions the dimensions that went below 0
   */
  record NodeOversubscription(String node, Instant first, Duration total, int spells, List<String> dimensions) {}

  /**
   * A node's spells below 0 so far.
   *
   * @param since when the spell under way began; null while the node is not below 0
   * @param count how many spells began
   * @param closed how long the spells that ended lasted, in all
   */
  private record Spell(Instant since, int count, Instant first, Duration closed, TreeSet<String> dimensions) {}

  private final Map<String, Spell> nodes = new TreeMap<>();
  private Instant last;

  /** Looks at the nodes the event just folded changed. */
  void observe(LocalFold fold, Instant at) {
    last = at;
    for (String node : fold.touchedNodes()) {
      NodeBandwidth state = fold.published(node);
      boolean over = state != null && !state.getOversubscribed().isEmpty();
      Spell spell = nodes.get(node);
      boolean wasOver = spell != null && spell.since() != null;
      if (over && !wasOver) {
        nodes.put(node, spell == null
            ? new Spell(at, 1, at, Duration.ZERO, new TreeSet<>(state.getOversubscribed()))
            : new Spell(at, spell.count() + 1, spell.first(), spell.closed(), spell.dimensions()));
      } else if (!over && wasOver) {
        nodes.put(node, new Spell(null, spell.count(), spell.first(), spell.closed().plus(
            Duration.between(spell.since(), at)), spell.dimensions()));
      }
      if (over) {
        nodes.get(node).dimensions().addAll(state.getOversubscribed());
      }
    }
  }

  List<NodeOversubscription> result() {
    List<NodeOversubscription> out = new ArrayList<>();
    nodes.forEach((node, spell) -> {
      Duration total = spell.since() == null ? spell.closed() : spell.closed().plus(Duration.between(spell.since(), last));
      out.add(new NodeOversubscription(node, spell.first(), total, spell.count(), List.copyOf(spell.dimensions())));
    });
    return out;
  }

  /** The report as a table, or a line saying no node was oversubscribed. */
  static String render(List<NodeOversubscription> nodes) {
    if (nodes.isEmpty()) {
      return "no node was oversubscribed\n";
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NODE", "FIRST-OVERSUBSCRIBED", "FOR", "TIMES", "DIMENSIONS"));
    for (NodeOversubscription node : nodes) {
      rows.add(List.of(node.node(), node.first().toString(), node.total().toString().substring(2).toLowerCase(),
          String.valueOf(node.spells()), String.join(",", node.dimensions())));
    }
    return BandwidthTable.pad(rows);
  }
}
