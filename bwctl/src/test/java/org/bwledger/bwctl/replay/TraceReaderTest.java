package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceReaderTest {

  private final ObjectMapper json = new ObjectMapper();

  /** A trace written on Windows, with text beyond ASCII holding braces and quotes, reads as one written plainly. */
  @Test
  void lineEndsAndTextBeyondAsciiDoNotChangeWhatIsRead() throws IOException {
    String trace = """
        {"type": "ADDED",
         "object": {"kind": "Pod", "metadata": {"name": "café-{0}", "annotations": {"note": "naïve \\"}\\" ✓ 帯域"}}}}
          \t
        {"type": "DELETED", "object": {"kind": "Pod", "metadata": {"name": "b"}}}
        """;

    List<String> plain = read(trace);
    List<String> windows = read(trace.replace("\n", "\r\n"));

    assertThat(plain).containsExactly(
        "lines 1-2 ADDED {\"kind\":\"Pod\",\"metadata\":{\"name\":\"café-{0}\",\"annotations\":{\"note\":\"naïve \\\"}\\\" ✓ 帯域\"}}}",
        "line 4 DELETED {\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"}}");
    assertThat(windows).isEqualTo(plain);
  }

  /** A line longer than the read buffer, and a value cut short by the next one, at column 0. */
  @Test
  void aLongLineIsReadWholeAndACutValueIsSkipped() throws IOException {
    String name = "p".repeat(200_000);
    String trace = "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Pod\",\n"
        + "{\"type\": \"ADDED\", \"object\": {\"kind\": \"Pod\", \"metadata\": {\"name\": \"" + name + "\"}}}\n";

    assertThat(read(trace)).containsExactly(
        "skipped line 1: incomplete JSON object",
        "line 2 ADDED {\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"}}");
  }

  private List<String> read(String trace) throws IOException {
    List<String> read = new ArrayList<>();
    new TraceReader(json, FieldSelection.of("type", "object")).read(
        new StringReader(trace), new TraceReader.Listener() {
          @Override
          public void event(String type, JsonNode object, String observedAt, String position) {
            read.add(position + " " + type + " " + object);
          }

          @Override
          public void skipped(String position, String reason) {
            read.add("skipped " + position + ": " + reason);
          }
        });
    return read;
  }
}
