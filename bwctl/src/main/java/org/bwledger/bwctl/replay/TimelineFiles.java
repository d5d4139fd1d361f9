package org.bwledger.bwctl.replay;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.bwledger.schemas.state.LinkFigures;

/**
 * A replay's {@link Timeline} as files for a paper or a notebook, chosen by the file's extension:
 * {@code .csv} (every figure of every sample, one row each, and the spells below 0 beside it in
 * {@code NAME.spells.csv}) or {@code .svg} (a chart a node, network bandwidth used and capacity over
 * time, spells below 0 shaded). Nothing in them depends on when or where they were written: the same
 * history gives the same bytes.
 */
public final class TimelineFiles {

  private static final String HEADER = "time,node,reservations,"
      + "network_capacity_ul_mbps,network_capacity_dl_mbps,network_used_ul_mbps,network_used_dl_mbps,"
      + "network_remaining_ul_mbps,network_remaining_dl_mbps,"
      + "local_capacity_ul_mbps,local_capacity_dl_mbps,local_used_ul_mbps,local_used_dl_mbps,"
      + "local_remaining_ul_mbps,local_remaining_dl_mbps,oversubscribed\n";

  private static final int WIDTH = 960;
  private static final int PANEL = 180;
  private static final int LEFT = 64;
  private static final int RIGHT = 24;
  private static final int TOP = 34;
  private static final int BOTTOM = 30;

  private TimelineFiles() {}

  /** True when {@code file}'s extension names a format this writes. */
  public static boolean supports(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".csv") || name.endsWith(".svg");
  }

  /**
   * Writes the timeline of {@code only} (every node when empty) to {@code file}, as its extension says.
   *
   * @return the files written
   */
  public static List<Path> write(Timeline timeline, Path file, Set<String> only) throws IOException {
    SortedMap<String, List<Timeline.Sample>> nodes = new TreeMap<>(timeline.nodes());
    if (!only.isEmpty()) {
      nodes.keySet().retainAll(only);
    }
    List<Timeline.Spell> spells = timeline.spells().stream().filter(spell -> nodes.containsKey(spell.node())).toList();
    String name = file.getFileName().toString();
    if (name.endsWith(".svg")) {
      Files.writeString(file, svg(nodes, spells, timeline.start(), timeline.end()), StandardCharsets.UTF_8);
      return List.of(file);
    }
    Path spellsFile = file.resolveSibling(name.substring(0, name.length() - ".csv".length()) + ".spells.csv");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      for (Map.Entry<String, List<Timeline.Sample>> node : nodes.entrySet()) {
        for (Timeline.Sample sample : node.getValue()) {
          out.write(sample.at() + "," + node.getKey() + "," + sample.reservations() + ","
              + network(sample.capacity()) + "," + network(sample.used()) + "," + network(sample.remaining()) + ","
              + local(sample.capacity()) + "," + local(sample.used()) + "," + local(sample.remaining()) + ","
              + String.join(";", sample.oversubscribed()) + "\n");
        }
      }
    }
    try (Writer out = Files.newBufferedWriter(spellsFile, StandardCharsets.UTF_8)) {
      out.write("node,from,to,seconds,still_oversubscribed,dimensions\n");
      for (Timeline.Spell spell : spells) {
        out.write(spell.node() + "," + spell.from() + "," + spell.to() + ","
            + Duration.between(spell.from(), spell.to()).toMillis() / 1000.0 + "," + spell.open() + ","
            + String.join(";", spell.dimensions()) + "\n");
      }
    }
    return List.of(file, spellsFile);
  }

  private static String network(LinkFigures figures) {
    return figures.getNetworkUlMbps() + "," + figures.getNetworkDlMbps();
  }

  private static String local(LinkFigures figures) {
    return figures.getLocalUlMbps() + "," + figures.getLocalDlMbps();
  }

  /** One panel a node: network used up and down, and capacity up, as steps; spells below 0 shaded. */
  private static String svg(SortedMap<String, List<Timeline.Sample>> nodes, List<Timeline.Spell> spells,
      Instant start, Instant end) {
    int height = Math.max(1, nodes.size()) * PANEL;
    StringBuilder svg = new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
        .append("<title>Network bandwidth per node (Mbit/s): used up, used down, capacity up</title>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    if (start == null) {
      return svg.append("<text x=\"12\" y=\"20\">no events</text>\n</svg>\n").toString();
    }
    long span = Math.max(1, Duration.between(start, end).toMillis());
    int panel = 0;
    for (Map.Entry<String, List<Timeline.Sample>> node : nodes.entrySet()) {
      List<Timeline.Sample> samples = node.getValue();
      int top = panel++ * PANEL;
      double plotWidth = WIDTH - LEFT - RIGHT;
      double plotHeight = PANEL - TOP - BOTTOM;
      long highest = 1;
      for (Timeline.Sample sample : samples) {
        highest = Math.max(highest, Math.max(Math.max(sample.capacity().getNetworkUlMbps(),
            sample.used().getNetworkUlMbps()), sample.used().getNetworkDlMbps()));
      }
      double yMax = highest * 1.1;
      Scale scale = new Scale(start, span, LEFT, plotWidth, top + TOP, plotHeight, yMax);
      svg.append("<g class=\"node\" data-node=\"").append(xml(node.getKey())).append("\">\n")
          .append(text(LEFT, top + 16, xml(node.getKey()), "font-weight=\"bold\" font-size=\"13\""))
          .append(text(WIDTH - RIGHT, top + 16, "<tspan fill=\"#3b6fd8\">used ↑</tspan>  <tspan fill=\"#2f9a6b\">"
              + "used ↓</tspan>  <tspan fill=\"#c62f2f\">capacity ↑ (dashed), below 0 (shaded)</tspan>  Mbit/s",
              "text-anchor=\"end\""));
      for (Timeline.Spell spell : spells) {
        if (spell.node().equals(node.getKey())) {
          double from = scale.x(spell.from());
          svg.append("<rect class=\"spell\" x=\"").append(number(from)).append("\" y=\"").append(number(top + TOP))
              .append("\" width=\"").append(number(Math.max(1, scale.x(spell.to()) - from))).append("\" height=\"")
              .append(number(plotHeight)).append("\" fill=\"#c62f2f\" fill-opacity=\"0.15\"/>\n");
        }
      }
      svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(number(top + TOP + plotHeight))
          .append("\" x2=\"").append(number(LEFT + plotWidth)).append("\" y2=\"").append(number(top + TOP + plotHeight))
          .append("\" stroke=\"#999999\"/>\n")
          .append(text(LEFT - 6, top + TOP + plotHeight, "0", "text-anchor=\"end\""))
          .append(text(LEFT - 6, top + TOP + 4, Long.toString(Math.round(yMax)), "text-anchor=\"end\""))
          .append(text(LEFT, top + PANEL - 10, start.toString(), ""))
          .append(text(LEFT + plotWidth, top + PANEL - 10, end.toString(), "text-anchor=\"end\""))
          .append(steps("capacity", samples, sample -> sample.capacity().getNetworkUlMbps(), scale, end,
              "#c62f2f", "stroke-dasharray=\"6 4\""))
          .append(steps("used-ul", samples, sample -> sample.used().getNetworkUlMbps(), scale, end, "#3b6fd8", ""))
          .append(steps("used-dl", samples, sample -> sample.used().getNetworkDlMbps(), scale, end, "#2f9a6b", ""))
          .append("</g>\n");
    }
    return svg.append("</svg>\n").toString();
  }

  /** Where a time and a figure go in one panel. */
  private record Scale(Instant start, long spanMillis, double left, double width, double top, double height,
      double yMax) {
    double x(Instant at) {
      return left + width * Duration.between(start, at).toMillis() / spanMillis;
    }

    double y(long mbps) {
      return top + height * (1 - Math.max(0, mbps) / yMax);
    }
  }

  /** A figure as steps: each sample holds until the next, the last until the end. */
  private static String steps(String name, List<Timeline.Sample> samples, ToLongFunction<Timeline.Sample> figure,
      Scale scale, Instant end, String colour, String style) {
    StringBuilder path = new StringBuilder();
    for (Timeline.Sample sample : samples) {
      double x = scale.x(sample.at());
      double y = scale.y(figure.applyAsLong(sample));
      path.append(path.length() == 0 ? "M" + number(x) + " " + number(y) : " H" + number(x) + " V" + number(y));
    }
    path.append(" H").append(number(scale.x(end)));
    return "<path class=\"" + name + "\" d=\"" + path + "\" fill=\"none\" stroke=\"" + colour
        + "\" stroke-width=\"1.5\""
        + (style.isEmpty() ? "" : " " + style) + "/>\n";
  }

  private static String text(double x, double y, String content, String attributes) {
    return "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\"" + (attributes.isEmpty() ? "" : " " + attributes)
        + ">" + content + "</text>\n";
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
