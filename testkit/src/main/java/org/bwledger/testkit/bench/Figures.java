package org.bwledger.testkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reports benchmark figures: one table on standard output, and, when the system property {@value
 * #JSON_PROPERTY} names a file, the same figures there as JSON for scripts and plots.
 */
public final class Figures {

  /** The system property naming the JSON file to write, e.g. {@code -Dbench.json=target/bench.json}. */
  public static final String JSON_PROPERTY = "bench.json";

  private Figures() {}

  /** Prints the table and writes the JSON file if one is asked for. */
  public static void report(List<Figure> figures) throws IOException {
    print(figures, System.out);
    String json = System.getProperty(JSON_PROPERTY);
    if (json != null && !json.isBlank()) {
      writeJson(figures, Path.of(json));
      System.out.println("figures written to " + Path.of(json).toAbsolutePath());
    }
  }

  /** The figures as a table: benchmark, measure, figure, baseline, ratio. */
  public static void print(List<Figure> figures, PrintStream out) {
    String row = "%-9s %-62s %16s  %-40s %7s%n";
    out.printf(row, "benchmark", "measure", "figure", "beside (baseline)", "ratio");
    for (Figure figure : figures) {
      out.printf(row, figure.benchmark(), figure.measure(), amount(figure.value(), figure.unit()),
          figure.baseline() == null ? "" : figure.baseline() + " " + amount(figure.baselineValue(), figure.unit()),
          figure.ratio() == null ? "" : String.format("%.2f", figure.ratio()));
    }
  }

  /** Writes the figures as a JSON array of objects, one per figure, with its ratio. */
  public static void writeJson(List<Figure> figures, Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
  }

  private static String amount(double value, String unit) {
    return (value >= 100 ? String.format("%,.0f", value) : String.format("%.1f", value)) + " " + unit;
  }
}
