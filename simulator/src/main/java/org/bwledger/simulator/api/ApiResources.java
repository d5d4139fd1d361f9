package org.bwledger.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The kinds the simulated API serves: the built-in ones that bwledger, its lab and kubectl use, and
 * those of every {@code CustomResourceDefinition} stored in it; and discovery over them, in both the
 * legacy documents ({@code /api}, {@code /apis}, a resource list per group-version) and the
 * aggregated one that kubectl asks for first.
 */
final class ApiResources {

  /** The Accept parameter with which a client asks for aggregated discovery. */
  static final String AGGREGATED = "as=APIGroupDiscoveryList";
  static final String AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private static final List<ApiResource> BUILT_IN = List.of(
      stored("", "namespaces", "Namespace", false, BuiltinTables.NAMESPACES, List.of("ns"), List.of("status")),
      stored("", "nodes", "Node", false, BuiltinTables.NODES, List.of("no"), List.of("status")),
      new ApiResource("", "v1", "pods", "pod", "Pod", true, ApiResource.STORED, List.of("po"), List.of("all"),
          List.of(new ApiResource.Subresource("binding", "Binding", ApiResource.CREATE_ONLY),
              new ApiResource.Subresource("status", "Pod", List.of("get", "patch", "update"))), BuiltinTables.PODS),
      created("", "bindings", "Binding", true),
      stored("", "events", "Event", true, BuiltinTables.BY_CREATION, List.of("ev"), List.of()),
      stored("", "configmaps", "ConfigMap", true, BuiltinTables.BY_CREATION, List.of("cm"), List.of()),
      stored("", "secrets", "Secret", true, BuiltinTables.BY_CREATION, List.of(), List.of()),
      stored("", "services", "Service", true, BuiltinTables.BY_CREATION, List.of("svc"), List.of("status")),
      stored("", "endpoints", "Endpoints", true, BuiltinTables.BY_CREATION, List.of("ep"), List.of()),
      stored("", "serviceaccounts", "ServiceAccount", true, BuiltinTables.BY_CREATION, List.of("sa"), List.of()),
      stored("apps", "deployments", "Deployment", true, BuiltinTables.BY_CREATION, List.of("deploy"),
          List.of("status")),
      stored("apps", "replicasets", "ReplicaSet", true, BuiltinTables.BY_CREATION, List.of("rs"), List.of("status")),
      stored("apps", "statefulsets", "StatefulSet", true, BuiltinTables.BY_CREATION, List.of("sts"),
          List.of("status")),
      stored("apps", "daemonsets", "DaemonSet", true, BuiltinTables.BY_CREATION, List.of("ds"), List.of("status")),
      stored("coordination.k8s.io", "leases", "Lease", true, BuiltinTables.LEASES, List.of(), List.of()),
      stored("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false,
          BuiltinTables.BY_CREATION, List.of("crd", "crds"), List.of("status")),
      created("authentication.k8s.io", "tokenreviews", "TokenReview", false),
      created("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview", false));

  private final ObjectMapper json;
  private final Map<String, List<ApiResource>> definitions = new ConcurrentHashMap<>();

  ApiResources(ObjectMapper json) {
    this.json = json;
  }

  /** Serves what a stored {@code CustomResourceDefinition} defines, in place of what it defined before. */
  void define(JsonNode definition) {
    definitions.put(definition.path("metadata").path("name").asText(), CustomResources.resources(definition));
  }

  /** Stops serving what a deleted {@code CustomResourceDefinition} defined. */
  void undefine(JsonNode definition) {
    definitions.remove(definition.path("metadata").path("name").asText());
  }

  /** The resource at {@code group}/{@code version}/{@code plural}, if it is served. */
  Optional<ApiResource> find(String group, String version, String plural) {
    return all().filter(resource -> resource.group().equals(group) && resource.version().equals(version)
        && resource.plural().equals(plural)).findFirst();
  }

  /** {@code /api}: the core group's versions. */
  ObjectNode coreVersions(String serverAddress) {
    ObjectNode versions = json.createObjectNode().put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return versions;
  }

  /** {@code /apis}: every named group, each with its one version. */
  ObjectNode groups() {
    ObjectNode list = json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    byGroupVersion(false).keySet().forEach(groupVersion -> {
      String[] parts = groupVersion.split("/");
      ObjectNode group = groups.addObject().put("name", parts[0]);
      ObjectNode version = json.createObjectNode().put("groupVersion", groupVersion).put("version", parts[1]);
      group.putArray("versions").add(version);
      group.set("preferredVersion", version.deepCopy());
    });
    return list;
  }

  /** {@code /api/v1} or {@code /apis/{group}/{version}}: its resources and subresources, if it is served. */
  Optional<ObjectNode> resourceList(String groupVersion) {
    List<ApiResource> resources = (groupVersion.contains("/") ? byGroupVersion(false) : byGroupVersion(true))
        .get(groupVersion);
    if (resources == null) {
      return Optional.empty();
    }
    ObjectNode list = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", groupVersion);
    ArrayNode items = list.putArray("resources");
    for (ApiResource resource : resources) {
      ObjectNode item = items.addObject().put("name", resource.plural()).put("singularName", resource.singular())
          .put("namespaced", resource.namespaced()).put("kind", resource.kind());
      strings(item.putArray("verbs"), resource.verbs());
      if (!resource.shortNames().isEmpty()) {
        strings(item.putArray("shortNames"), resource.shortNames());
      }
      if (!resource.categories().isEmpty()) {
        strings(item.putArray("categories"), resource.categories());
      }
      for (ApiResource.Subresource subresource : resource.subresources()) {
        strings(items.addObject().put("name", resource.plural() + "/" + subresource.name()).put("singularName", "")
            .put("namespaced", resource.namespaced()).put("kind", subresource.kind()).putArray("verbs"),
            subresource.verbs());
      }
    }
    return Optional.of(list);
  }

  /**
   * {@code /api} or {@code /apis} as aggregated discovery ({@code apidiscovery.k8s.io/v2}): every
   * group of the core or the named ones with all its resources, in one document.
   */
  ObjectNode aggregated(boolean core) {
    ObjectNode list = json.createObjectNode().put("kind", "APIGroupDiscoveryList")
        .put("apiVersion", "apidiscovery.k8s.io/v2");
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    byGroupVersion(core).forEach((groupVersion, resources) -> {
      ObjectNode group = items.addObject();
      ObjectNode metadata = group.putObject("metadata");
      if (!core) {
        metadata.put("name", resources.get(0).group());
      }
      ObjectNode version = group.putArray("versions").addObject().put("version", resources.get(0).version());
      ArrayNode entries = version.putArray("resources");
      for (ApiResource resource : resources) {
        ObjectNode entry = entries.addObject().put("resource", resource.plural());
        entry.set("responseKind", kind(resource.group(), resource.version(), resource.kind()));
        entry.put("scope", resource.namespaced() ? "Namespaced" : "Cluster").put("singularResource",
            resource.singular());
        strings(entry.putArray("verbs"), resource.verbs());
        if (!resource.shortNames().isEmpty()) {
          strings(entry.putArray("shortNames"), resource.shortNames());
        }
        if (!resource.categories().isEmpty()) {
          strings(entry.putArray("categories"), resource.categories());
        }
        if (!resource.subresources().isEmpty()) {
          ArrayNode subresources = entry.putArray("subresources");
          for (ApiResource.Subresource subresource : resource.subresources()) {
            ObjectNode sub = subresources.addObject().put("subresource", subresource.name());
            sub.set("responseKind", kind(resource.group(), resource.version(), subresource.kind()));
            strings(sub.putArray("verbs"), subresource.verbs());
          }
        }
      }
      version.put("freshness", "Current");
    });
    return list;
  }

  private Stream<ApiResource> all() {
    return Stream.concat(BUILT_IN.stream(), definitions.values().stream().flatMap(List::stream));
  }

  /** The core group's resources ({@code v1}), or every named group's, by group-version in a stable order. */
  private Map<String, List<ApiResource>> byGroupVersion(boolean core) {
    Map<String, List<ApiResource>> grouped = new LinkedHashMap<>();
    all().filter(resource -> resource.group().isEmpty() == core)
        .sorted(Comparator.comparing(ApiResource::groupVersion))
        .forEach(resource -> grouped.computeIfAbsent(resource.groupVersion(), key -> new ArrayList<>()).add(resource));
    return grouped;
  }

  private ObjectNode kind(String group, String version, String kind) {
    return json.createObjectNode().put("group", group).put("version", version).put("kind", kind);
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static ApiResource stored(String group, String plural, String kind, boolean namespaced,
      TableConverter table, List<String> shortNames, List<String> subresources) {
    return new ApiResource(group, "v1", plural, kind.toLowerCase(), kind, namespaced, ApiResource.STORED, shortNames,
        plural.equals("services") || group.equals("apps") ? List.of("all") : List.of(),
        subresources.stream().map(name -> new ApiResource.Subresource(name, kind, List.of("get", "patch", "update")))
            .toList(),
        table);
  }

  private static ApiResource created(String group, String plural, String kind, boolean namespaced) {
    return new ApiResource(group, "v1", plural, kind.toLowerCase(), kind, namespaced, ApiResource.CREATE_ONLY,
        List.of(), List.of(), List.of(), BuiltinTables.BY_CREATION);
  }
}
