package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bwledger.kube.events.EventTranslator;
import org.bwledger.schemas.event.ClusterEvent;
import org.junit.jupiter.api.Test;

class FieldSelectionTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void keepsTheSelectedFieldsWholeThroughArraysAndDropsTheRest() throws IOException {
    FieldSelection selection = FieldSelection.of("kind", "metadata.labels", "metadata.managedFields.time");

    JsonNode read = read(selection, """
        {"kind": "Pod", "apiVersion": "v1",
         "metadata": {"name": "a", "labels": {"app": "x", "tier": {"deep": [1, 2]}},
                      "managedFields": [{"manager": "kubelet", "time": "2026-01-01T00:00:00Z", "fieldsV1": {"f:spec": {}}},
                                        {"manager": "kubectl", "time": "2026-01-02T00:00:00Z"}]},
         "spec": {"containers": [{"name": "main"}]}}""");

    assertThat(read).isEqualTo(json.readTree("""
        {"kind": "Pod",
         "metadata": {"labels": {"app": "x", "tier": {"deep": [1, 2]}},
                      "managedFields": [{"time": "2026-01-01T00:00:00Z"}, {"time": "2026-01-02T00:00:00Z"}]}}"""));
  }

  @Test
  void aValueThatIsNotTheObjectExpectedIsKeptForTheBindingToRefuse() throws IOException {
    FieldSelection selection = FieldSelection.of("spec.nodeName", "status.phase");

    assertThat(read(selection, "{\"spec\": \"n1\", \"status\": null}"))
        .isEqualTo(json.readTree("{\"spec\": \"n1\", \"status\": null}"));
  }

  @Test
  void whatIsSkippedMustStillBeJson() {
    FieldSelection selection = FieldSelection.of("kind");

    assertThatThrownBy(() -> read(selection, "{\"kind\": \"Pod\", \"spec\": {\"containers\": [1, }]}}"))
        .isInstanceOf(JsonParseException.class);
  }

  /** The fields the translation reads are all it needs: the sample trace translates the same either way. */
  @Test
  void theTranslatorReadsNothingBeyondItsSelection() throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode event : json.readerFor(JsonNode.class).<JsonNode>readValues(
        Files.readString(Path.of("../examples/lab-trace.json"))).readAll()) {
      objects.add(event);
    }
    assertThat(objects).hasSizeGreaterThan(20);

    assertThat(translate(objects, event -> read(TraceTranslator.FIELDS_READ, event.toString())))
        .isEqualTo(translate(objects, event -> event));
  }

  private interface Reading {
    JsonNode apply(JsonNode event) throws IOException;
  }

  private List<ClusterEvent> translate(List<JsonNode> events, Reading reading) throws IOException {
    TraceTranslator translator = new TraceTranslator(new EventTranslator(
        Set.of("kubernetes.io/egress-bandwidth", "kubernetes.io/ingress-bandwidth")), json);
    List<ClusterEvent> translated = new ArrayList<>();
    for (JsonNode event : events) {
      JsonNode read = reading.apply(event);
      translator.translate(read.path("type").asText(), read.get("object"), null).ifPresent(translated::add);
    }
    return translated;
  }

  private JsonNode read(FieldSelection selection, String text) throws IOException {
    try (JsonParser parser = json.createParser(text)) {
      parser.nextToken();
      return selection.read(parser, json.readerFor(JsonNode.class));
    }
  }
}
