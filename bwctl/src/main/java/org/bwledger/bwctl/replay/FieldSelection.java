package org.bwledger.bwctl.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a JSON value worth building a tree for; the parser skips the rest without building
 * anything, though it still checks that it is JSON. A watch event of a pod is mostly what bwledger
 * never reads (containers, statuses, managed fields), and building it all cost most of a trace's
 * replay.
 *
 * <p>A selection names fields by path ({@code "object.metadata.uid"}); a path's last field is kept
 * whole. Through an array, a path applies to every element: {@code
 * "object.metadata.managedFields.time"} keeps each managed field's time. A value that is not an
 * object where the selection expects one is kept as it is, with what of it is selected, so whatever
 * binds it later still says what is wrong.
 */
final class FieldSelection {

  private final Map<String, FieldSelection> fields = new HashMap<>();
  private boolean whole;

  private FieldSelection() {}

  /** A selection of the fields at {@code paths}. */
  static FieldSelection of(String... paths) {
    FieldSelection root = new FieldSelection();
    for (String path : paths) {
      FieldSelection at = root;
      for (String field : path.split("\\.")) {
        at = at.fields.computeIfAbsent(field, name -> new FieldSelection());
      }
      at.whole = true;
    }
    return root;
  }

  /**
   * Reads the value at {@code parser}'s current token, keeping the selected fields.
   *
   * @param trees reads a whole field as a {@link JsonNode}: made once, it finds its deserializer once
   */
  JsonNode read(JsonParser parser, ObjectReader trees) throws IOException {
    JsonToken token = parser.currentToken();
    if (whole || !(token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
      return trees.readTree(parser);
    }
    if (token == JsonToken.START_ARRAY) {
      ArrayNode elements = trees.getConfig().getNodeFactory().arrayNode();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        elements.add(read(parser, trees));
      }
      return elements;
    }
    ObjectNode selected = trees.getConfig().getNodeFactory().objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      FieldSelection field = fields.get(name);
      parser.nextToken();
      if (field == null) {
        parser.skipChildren();
      } else {
        selected.set(name, field.read(parser, trees));
      }
    }
    return selected;
  }
}
