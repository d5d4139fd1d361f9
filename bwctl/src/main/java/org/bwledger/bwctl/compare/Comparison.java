package org.bwledger.bwctl.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bwledger.bwctl.output.BandwidthTable;

/**
 * Policies side by side on one trace, as a table to read, JSON or CSV for notebooks. Every format
 * carries the same figures, written the same way, so the same trace, policies and seed give the same
 * bytes.
 */
record Comparison(long seed, List<PolicyFigures> policies) {

  /** The figures of each policy as a table, then each node's peak and mean utilisation per policy. */
  String table() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("POLICY", "ARRIVED", "PLACED", "PENDING", "NEVER-PLACED", "OVERSUBSCRIBED-NODE-MIN",
        "LINK-LOCAL", "WAIT-P50-S", "WAIT-P99-S", "PEAK-UTIL", "MEAN-UTIL"));
    for (PolicyFigures p : policies) {
      rows.add(List.of(p.policy(), String.valueOf(p.arrived()), String.valueOf(p.placed()),
          String.valueOf(p.pending()), String.valueOf(p.neverPlaced()), text(p.oversubscribedNodeMinutes()),
          text(p.linkLocalShare()), text(p.waitP50Seconds()), text(p.waitP99Seconds()), text(p.peakUtilisation()),
          text(p.meanUtilisation())));
    }
    List<List<String>> nodes = new ArrayList<>();
    List<String> heading = new ArrayList<>(List.of("NODE"));
    policies.forEach(p -> heading.add(p.policy().toUpperCase() + " PEAK/MEAN"));
    nodes.add(heading);
    for (String node : nodeNames()) {
      List<String> row = new ArrayList<>(List.of(node));
      for (PolicyFigures p : policies) {
        PolicyFigures.NodeFigures figures = p.nodes().get(node);
        row.add(figures == null ? "-" : text(figures.peak()) + "/" + text(figures.mean()));
      }
      nodes.add(row);
    }
    return "seed " + seed + "\n" + BandwidthTable.pad(rows) + "\nnetwork utilisation by node\n"
        + BandwidthTable.pad(nodes);
  }

  String json() throws Exception {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode().put("seed", seed);
    ArrayNode list = root.putArray("policies");
    for (PolicyFigures p : policies) {
      ObjectNode policy = list.addObject()
          .put("policy", p.policy())
          .put("arrived", p.arrived())
          .put("placed", p.placed())
          .put("pending", p.pending())
          .put("neverPlaced", p.neverPlaced())
          .put("oversubscribedNodeMinutes", p.oversubscribedNodeMinutes())
          .put("linkLocalShare", p.linkLocalShare())
          .put("waitP50Seconds", p.waitP50Seconds())
          .put("waitP99Seconds", p.waitP99Seconds())
          .put("peakUtilisation", p.peakUtilisation())
          .put("meanUtilisation", p.meanUtilisation());
      ObjectNode nodes = policy.putObject("nodes");
      p.nodes().forEach((node, figures) -> nodes.putObject(node)
          .put("peakUtilisation", figures.peak())
          .put("meanUtilisation", figures.mean()));
    }
    return json.writeValueAsString(root) + "\n";
  }

  /** Long form, one figure a row: {@code policy,node,measure,value}, the node empty for a policy's own figures. */
  String csv() {
    StringBuilder csv = new StringBuilder("seed,policy,node,measure,value\n");
    for (PolicyFigures p : policies) {
      Map<String, String> figures = new LinkedHashMap<>();
      figures.put("arrived", String.valueOf(p.arrived()));
      figures.put("placed", String.valueOf(p.placed()));
      figures.put("pending", String.valueOf(p.pending()));
      figures.put("neverPlaced", String.valueOf(p.neverPlaced()));
      figures.put("oversubscribedNodeMinutes", text(p.oversubscribedNodeMinutes()));
      figures.put("linkLocalShare", text(p.linkLocalShare()));
      figures.put("waitP50Seconds", text(p.waitP50Seconds()));
      figures.put("waitP99Seconds", text(p.waitP99Seconds()));
      figures.put("peakUtilisation", text(p.peakUtilisation()));
      figures.put("meanUtilisation", text(p.meanUtilisation()));
      figures.forEach((measure, value) -> row(csv, p.policy(), "", measure, value));
      p.nodes().forEach((node, n) -> {
        row(csv, p.policy(), node, "peakUtilisation", text(n.peak()));
        row(csv, p.policy(), node, "meanUtilisation", text(n.mean()));
      });
    }
    return csv.toString();
  }

  private void row(StringBuilder csv, String policy, String node, String measure, String value) {
    // policy and node names are DNS-style (letters, digits, '-', '.'): nothing to quote
    csv.append(seed).append(',').append(policy).append(',').append(node).append(',').append(measure).append(',')
        .append(value).append('\n');
  }

  private TreeSet<String> nodeNames() {
    TreeSet<String> names = new TreeSet<>();
    policies.forEach(p -> names.addAll(p.nodes().keySet()));
    return names;
  }

  private static String text(BigDecimal value) {
    return value.toPlainString();
  }
}
