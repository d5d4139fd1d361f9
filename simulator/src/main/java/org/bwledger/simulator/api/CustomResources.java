package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stored {@code CustomResourceDefinition} makes the API serve: its resource, in discovery,
 * and its table, from the definition's own {@code additionalPrinterColumns}, evaluated as the API
 * server's custom resource table convertor does, so the local columns are a real cluster's.
 */
final class CustomResources {

  /** Every match as a list, and none (not an exception) where a path finds nothing. */
  private static final Configuration JSON_PATH = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider())
      .mappingProvider(new JacksonMappingProvider())
      .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
      .build();

  private CustomResources() {}

  /** The resource each served version of {@code definition} adds. */
  static List<ApiResource> resources(JsonNode definition) {
    JsonNode spec = definition.path("spec");
    JsonNode names = spec.path("names");
    List<ApiResource> resources = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      List<ApiResource.Subresource> subresources = new ArrayList<>();
      if (version.path("subresources").has("status")) {
        subresources.add(new ApiResource.Subresource("status", names.path("kind").asText(),
            List.of("get", "patch", "update")));
      }
      resources.add(new ApiResource(spec.path("group").asText(), version.path("name").asText(),
          names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase()),
          names.path("kind").asText(), "Namespaced".equals(spec.path("scope").asText()), ApiResource.STORED,
          texts(names.path("shortNames")), texts(names.path("categories")), subresources,
          table(version.path("additionalPrinterColumns"))));
    }
    return resources;
  }

  /**
   * The table of a version's printer columns: the name, then each column; with none declared, the
   * age, as the API server defaults it.
   *
   * @throws IllegalArgumentException for a column whose JSONPath cannot be parsed
   */
  static TableConverter table(JsonNode printerColumns) {
    TableConverter.Builder table = new TableConverter.Builder();
    if (printerColumns.isEmpty()) {
      return table.column("Age", "date", "", 0, cell("date", path(".metadata.creationTimestamp"))).build();
    }
    for (JsonNode column : printerColumns) {
      String jsonPath = column.path("jsonPath").asText();
      String type = column.path("type").asText("string");
      String description = column.path("description").asText(
          "Custom resource definition column (in JSONPath format): " + jsonPath);
      table.column(column.path("name").asText(), type, description, column.path("priority").asInt(0),
          cell(type, path(jsonPath)));
    }
    return table.build();
  }

  /** A Kubernetes JSONPath ({@code .status.x}, filters allowed) as Jayway's ({@code $.status.x}). */
  private static JsonPath path(String kubernetesPath) {
    String path = kubernetesPath.startsWith("{") && kubernetesPath.endsWith("}")
        ? kubernetesPath.substring(1, kubernetesPath.length() - 1) : kubernetesPath;
    try {
      return JsonPath.compile(path.startsWith(".") ? "$" + path : "$." + path);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("printer column path " + kubernetesPath + " cannot be parsed: "
          + e.getMessage(), e);
    }
  }

  /** The first value the path finds, typed as the column says; null where it finds none or another type. */
  private static TableConverter.Cell cell(String type, JsonPath path) {
    return (object, now) -> {
      JsonNode found = path.read(object, JSON_PATH);
      if (found == null || found.isEmpty() || found.get(0).isNull()) {
        return null;
      }
      JsonNode value = found.get(0);
      return switch (type) {
        case "string" -> value.isTextual() ? value.asText() : value.toString();
        case "integer" -> value.isNumber() ? (Object) value.asLong() : null;
        case "number" -> value.isNumber() ? (Object) value.asDouble() : null;
        case "boolean" -> value.isBoolean() ? (Object) value.asBoolean() : null;
        case "date" -> value.isTextual() ? Age.since(value, now) : null;
        default -> null;
      };
    };
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(text -> texts.add(text.asText()));
    return texts;
  }
}
