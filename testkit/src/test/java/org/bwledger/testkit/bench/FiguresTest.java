package org.bwledger.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {

  private final List<Figure> figures = List.of(
      Figure.of("fold", "pass-through", 40_000, "events/s"),
      Figure.of("fold", "fold", 12_000, "events/s").beside("pass-through", 40_000));

  @Test
  void theTableGivesEachFigureWithItsBaselineAndRatio() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Figures.print(figures, new PrintStream(out, true, StandardCharsets.UTF_8));

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).contains("pass-through", "40,000 events/s").doesNotContain("0.30");
    assertThat(lines.get(2)).contains("12,000 events/s", "pass-through 40,000 events/s").endsWith("0.30");
  }

  @Test
  void theJsonHoldsEveryFigureWithItsRatio(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bench.json");
    Figures.writeJson(figures, file);

    JsonNode rows = new ObjectMapper().readTree(file.toFile());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("baseline").isNull()).isTrue();
    assertThat(rows.get(0).get("ratio").isNull()).isTrue();
    assertThat(rows.get(1).get("value").asDouble()).isEqualTo(12_000);
    assertThat(rows.get(1).get("baselineValue").asDouble()).isEqualTo(40_000);
    assertThat(rows.get(1).get("ratio").asDouble()).isEqualTo(0.3);
  }
}
