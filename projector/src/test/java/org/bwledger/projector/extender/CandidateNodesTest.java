package org.bwledger.projector.extender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidateNodesTest {

  private final ObjectMapper json = new ObjectMapper();

  /** Spacing, escapes, non-ASCII names and nested "name" fields that are not the node's. */
  private static final String NODE_A = """
      {"spec" : {"name": "not-this"},  "metadata":{"labels": {"name": "nor-this", "x": [1, {"name": "no"}]},
         "name"  :  "nöde-ä", "annotations": {"note": "say \\"hi\\""}}}""";
  private static final String NODE_B = """
      {"metadata": {"name": "n2"}, "status": {"capacity": {"cpu": 8}}}""";
  private static final String NODE_C = """
      {"metadata": {"uid": "u3", "name": "n3"}}""";
  private static final String LIST = """
      { "kind": "NodeList", "metadata": {"resourceVersion": "17"}, "count": 3,
        "items": [%s, %s,%s] }""".formatted(NODE_A, NODE_B, NODE_C);

  @Test
  void readsEachNodesOwnNameAndWritesTheChosenNodesBackByteForByte() throws Exception {
    CandidateNodes nodes = read(LIST);

    assertThat(nodes.names()).containsExactly("nöde-ä", "n2", "n3");
    String written = json.writeValueAsString(nodes.only(Set.of("nöde-ä", "n3")));
    assertThat(written).isEqualTo("{\"kind\":\"NodeList\",\"metadata\":{\"resourceVersion\": \"17\"},\"count\":3,"
        + "\"items\":[" + NODE_A + "," + NODE_C + "]}");
  }

  @Test
  void aListWithoutItemsHasNoCandidatesAndItemsThatAreNotAListAreRefused() throws Exception {
    assertThat(read("{\"metadata\": {}}").names()).isEmpty();
    assertThat(read("{\"items\": null}").names()).isEmpty();
    assertThatThrownBy(() -> read("{\"items\": {\"metadata\": {\"name\": \"n1\"}}}"))
        .isInstanceOf(DatabindException.class).hasMessageContaining("items must be an array");
    assertThatThrownBy(() -> read("{\"items\": [\"n1\"]}"))
        .isInstanceOf(DatabindException.class).hasMessageContaining("must be a Node object");
  }

  private CandidateNodes read(String list) throws Exception {
    byte[] bytes = list.getBytes(StandardCharsets.UTF_8);
    return json.readerFor(CandidateNodes.class).withAttribute(CandidateNodes.SOURCE, bytes).readValue(bytes);
  }
}
