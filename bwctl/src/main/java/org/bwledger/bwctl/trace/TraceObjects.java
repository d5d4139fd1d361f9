package org.bwledger.bwctl.trace;

import com.fasterxml.jackson.databind.JsonNode;

/** How the trace tools name an object: its kind and namespaced name, e.g. {@code Pod lab/web-0}. */
final class TraceObjects {

  private TraceObjects() {}

  static String key(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    String namespace = metadata.path("namespace").asText("");
    return object.path("kind").asText("?") + " " + (namespace.isEmpty() ? "" : namespace + "/")
        + metadata.path("name").asText("?");
  }
}
