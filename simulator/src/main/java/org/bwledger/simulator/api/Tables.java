package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

/**
 * Server-side printing: objects as a {@code meta.k8s.io/v1} {@code Table}, which a client asks for
 * in its Accept header ({@code as=Table}) and kubectl prints as it comes, so its columns are the
 * server's. Each row carries the object as the {@code includeObject} parameter says: its metadata
 * (the default), the whole object, or nothing.
 */
final class Tables {

  /** What each row carries of its object. */
  enum Include {
    NONE, METADATA, OBJECT;

    /** The {@code includeObject} query parameter's value: {@code None}, {@code Metadata} or {@code Object}. */
    static Include of(String parameter) {
      if (parameter == null || parameter.isEmpty()) {
        return METADATA;
      }
      try {
        return valueOf(parameter.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("includeObject must be None, Metadata or Object, not " + parameter, e);
      }
    }
  }

  private final ObjectMapper json;

  Tables(ObjectMapper json) {
    this.json = json;
  }

  /** True when the Accept header asks for a Table. */
  static boolean asked(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * The table of a list's items, or of one object.
   *
   * @param withColumns false for every watch event but the first, as a server sends them
   */
  ObjectNode table(TableConverter converter, JsonNode listOrObject, Include include, boolean withColumns, Instant now) {
    boolean list = listOrObject.has("items");
    List<JsonNode> objects = list
        ? StreamSupport.stream(listOrObject.path("items").spliterator(), false).toList() : List.of(listOrObject);
    ObjectNode table = json.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion",
        listOrObject.path("metadata").path("resourceVersion").asText(""));
    if (withColumns) {
      ArrayNode columns = table.putArray("columnDefinitions");
      for (TableConverter.Column column : converter.columns()) {
        columns.addObject().put("name", column.name()).put("type", column.type()).put("format", column.format())
            .put("description", column.description()).put("priority", column.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      converter.row(object, now).forEach(cell -> cells.add(json.valueToTree(cell)));
      switch (include) {
        case OBJECT -> row.set("object", object);
        case METADATA -> row.putObject("object").put("kind", "PartialObjectMetadata")
            .put("apiVersion", "meta.k8s.io/v1").set("metadata", object.path("metadata"));
        case NONE -> { }
      }
    }
    return table;
  }
}
