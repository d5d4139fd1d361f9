package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bwledger.bwctl.testing.BwctlRun.bwctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bwledger.bwctl.testing.BwctlRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code bwctl replay --timeline}: the sample trace's figures over time, as CSV and as a chart. */
class TimelineTest {

  private static final Path SAMPLE = Path.of("../examples/lab-trace.json");
  private static final Path GOLDEN = Path.of("src/test/resources/timeline");

  @TempDir
  Path dir;

  @Test
  void theSampleTracesTimelineIsItsGoldenFileByteForByte() throws Exception {
    BwctlRun run = bwctl("replay", SAMPLE.toString(), "--timeline", dir.resolve("lab-trace.csv").toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("timeline written to " + dir.resolve("lab-trace.csv"),
        "timeline written to " + dir.resolve("lab-trace.spells.csv"));
    assertThat(Files.readString(dir.resolve("lab-trace.csv"))).isEqualTo(Files.readString(GOLDEN.resolve(
        "lab-trace.csv")));
    assertThat(Files.readString(dir.resolve("lab-trace.spells.csv"))).isEqualTo(Files.readString(GOLDEN.resolve(
        "lab-trace.spells.csv")));
  }

  @Test
  void eachNodesLastRowIsItsFinalStateAndTheSpellsAreTheOversubscriptionReports() throws Exception {
    bwctl("replay", SAMPLE.toString(), "--timeline", dir.resolve("t.csv").toString());
    List<String> rows = Files.readAllLines(dir.resolve("t.csv"));
    List<String> header = List.of(rows.get(0).split(","));
    Map<String, String[]> last = new HashMap<>();
    rows.subList(1, rows.size()).forEach(row -> last.put(row.split(",")[1], row.split(",", -1)));

    JsonNode finals = new ObjectMapper().readTree(bwctl("replay", "-o", "json", SAMPLE.toString()).out());
    assertThat(last).hasSize(finals.path("items").size());
    for (JsonNode item : finals.path("items")) {
      String[] row = last.get(item.path("metadata").path("name").asText());
      JsonNode status = item.path("status");
      for (String figure : List.of("capacity", "used", "remaining")) {
        for (String kind : List.of("network", "local")) {
          for (String direction : List.of("ul", "dl")) {
            assertThat(row[header.indexOf(kind + "_" + figure + "_" + direction + "_mbps")])
                .isEqualTo(status.path(figure).path(kind).path(direction + "Mbps").asText());
          }
        }
      }
      assertThat(row[header.indexOf("reservations")]).isEqualTo(String.valueOf(status.path("reservations").size()));
    }

    // The report computes spells its own way, from the fold as it goes; both must agree.
    String report = bwctl("replay", "--oversubscription", SAMPLE.toString()).out();
    List<String> spells = Files.readAllLines(dir.resolve("t.spells.csv"));
    assertThat(spells).hasSize(2);
    String[] spell = spells.get(1).split(",");
    assertThat(report).containsPattern(spell[0] + "\\s+" + spell[1] + "\\s+" + (int) Double.parseDouble(spell[3])
        + "s\\s+1\\s+" + spell[5]);
  }

  @Test
  void theChartHasAPanelPerNodeWithItsStepsAndShadesItsSpellsTheSameEachTime() throws Exception {
    Path first = dir.resolve("a.svg");
    Path second = dir.resolve("b.svg");
    assertThat(bwctl("replay", SAMPLE.toString(), "--timeline", first.toString()).exitCode()).isZero();
    assertThat(bwctl("replay", SAMPLE.toString(), "--timeline", second.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));

    Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(first.toFile());
    assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
    NodeList panels = svg.getElementsByTagName("g");
    Map<String, Element> byNode = new HashMap<>();
    for (int i = 0; i < panels.getLength(); i++) {
      Element panel = (Element) panels.item(i);
      byNode.put(panel.getAttribute("data-node"), panel);
    }
    assertThat(byNode).containsOnlyKeys("worker-1", "worker-2", "worker-3");
    byNode.forEach((node, panel) -> {
      NodeList paths = panel.getElementsByTagName("path");
      assertThat(paths.getLength()).isEqualTo(3);
      for (int i = 0; i < paths.getLength(); i++) {
        assertThat(((Element) paths.item(i)).getAttribute("d")).startsWith("M").contains(" H");
      }
      assertThat(panel.getElementsByTagName("rect").getLength()).as(node).isEqualTo(node.equals("worker-2") ? 1 : 0);
    });
  }

  @Test
  void namedNodesOnlyAndAnUnknownFormatIsRefused() throws Exception {
    BwctlRun only = bwctl("replay", SAMPLE.toString(), "--timeline", dir.resolve("w2.csv").toString(),
        "--timeline-node", "worker-2");
    assertThat(only.exitCode()).isZero();
    assertThat(Files.readAllLines(dir.resolve("w2.csv")).subList(1, Files.readAllLines(dir.resolve("w2.csv")).size()))
        .isNotEmpty().allSatisfy(row -> assertThat(row.split(",")[1]).isEqualTo("worker-2"));

    BwctlRun png = bwctl("replay", SAMPLE.toString(), "--timeline", dir.resolve("t.png").toString());
    assertThat(png.exitCode()).isEqualTo(2);
    assertThat(png.err()).contains("give a file ending in .csv or .svg");
    assertThat(dir.resolve("t.png")).doesNotExist();
  }
}
