package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.bwledger.ledger.rules.LedgerRules;
import org.bwledger.schemas.annotation.AnnotationKey;
import org.bwledger.schemas.state.LinkFigures;

/**
 * A certificate of the books over a window of a history: for every node that held books then, the
 * most it used and the least it had left in each dimension, and every spell below 0, with what it
 * was computed from (the input's SHA-256, the window, the rules, bwledger's version). It is a
 * function of those alone, so anyone rerunning it on the same input gets the same bytes.
 */
final class BooksCertificate {

  /** A dimension, as the certificate names it, and where it is in a figure. */
  private record Dimension(String name, ToLongFunction<LinkFigures> figure) {}

  /** The four dimensions, in the certificate's order. */
  private static final List<Dimension> DIMENSIONS = List.of(
      new Dimension("network-ul", LinkFigures::getNetworkUlMbps),
      new Dimension("network-dl", LinkFigures::getNetworkDlMbps),
      new Dimension("local-ul", LinkFigures::getLocalUlMbps),
      new Dimension("local-dl", LinkFigures::getLocalDlMbps));

  /**
   * What the certificate covers.
   *
   * @param name the input's file name (not its path: the certificate must not depend on where it lay)
   */
  record Input(String name, String sha256, long bytes) {}

  private BooksCertificate() {}

  /**
   * The certificate of {@code timeline} (a replay up to {@code to}) over [{@code from}, {@code to}]:
   * the state each node held at {@code from} and every state after it, up to {@code to}.
   */
  static ObjectNode of(ObjectMapper json, Timeline timeline, Instant from, Instant to, Input input, String version,
      LedgerRules rules) {
    ObjectNode certificate = json.createObjectNode().put("kind", "BandwidthBooksCertificate").put("format", 1)
        .put("bwledger", version);
    certificate.putObject("input").put("file", input.name()).put("sha256", input.sha256()).put("bytes", input.bytes());
    certificate.putObject("window").put("from", from.toString()).put("to", to.toString());
    rules(certificate.putObject("rules"), rules);

    ArrayNode nodes = certificate.putArray("nodes");
    timeline.nodes().forEach((node, samples) -> {
      List<Timeline.Sample> held = within(samples, from, to);
      if (held.isEmpty()) {
        return;
      }
      ObjectNode entry = nodes.addObject().put("node", node);
      ObjectNode maxUsed = entry.putObject("maxUsedMbps");
      ObjectNode minRemaining = entry.putObject("minRemainingMbps");
      for (Dimension dimension : DIMENSIONS) {
        maxUsed.put(dimension.name(),
            held.stream().mapToLong(sample -> dimension.figure().applyAsLong(sample.used())).max().orElseThrow());
        minRemaining.put(dimension.name(),
            held.stream().mapToLong(sample -> dimension.figure().applyAsLong(sample.remaining())).min().orElseThrow());
      }
      entry.put("oversubscribed", held.stream().anyMatch(sample -> !sample.oversubscribed().isEmpty()));
    });

    ArrayNode spells = certificate.putArray("oversubscription");
    for (Timeline.Spell spell : timeline.spells()) {
      Instant end = spell.open() ? to : spell.to();
      if (end.isAfter(from) && !spell.from().isAfter(to)) {
        ObjectNode entry = spells.addObject().put("node", spell.node())
            .put("from", (spell.from().isBefore(from) ? from : spell.from()).toString())
            .put("to", (end.isAfter(to) ? to : end).toString());
        spell.dimensions().forEach(entry.putArray("dimensions")::add);
      }
    }
    certificate.put("verdict", spells.isEmpty() ? "no node was oversubscribed in the window"
        : spells.size() + " spells of oversubscription in the window");
    return certificate;
  }

  /** The state each node held at {@code from}, if any, and every state after it up to {@code to}. */
  private static List<Timeline.Sample> within(List<Timeline.Sample> samples, Instant from, Instant to) {
    List<Timeline.Sample> held = new ArrayList<>();
    Timeline.Sample atFrom = null;
    for (Timeline.Sample sample : samples) {
      if (!sample.at().isAfter(from)) {
        atFrom = sample;
      } else if (!sample.at().isAfter(to)) {
        held.add(sample);
      }
    }
    if (atFrom != null) {
      held.add(0, atFrom);
    }
    return held;
  }

  private static void rules(ObjectNode out, LedgerRules rules) {
    ArrayNode egress = out.putObject("annotations").putArray("egress");
    rules.annotationKeys().egress().forEach(key -> egress.add(key(key)));
    ArrayNode ingress = ((ObjectNode) out.path("annotations")).putArray("ingress");
    rules.annotationKeys().ingress().forEach(key -> ingress.add(key(key)));
    out.putObject("defaultCapacityMbps")
        .put("network-ul", rules.defaultCapacity().networkUlMbps())
        .put("network-dl", rules.defaultCapacity().networkDlMbps())
        .put("local-ul", rules.defaultCapacity().localUlMbps())
        .put("local-dl", rules.defaultCapacity().localDlMbps());
  }

  private static String key(AnnotationKey key) {
    return key.name() + " (" + key.format().name().toLowerCase() + ")";
  }
}
