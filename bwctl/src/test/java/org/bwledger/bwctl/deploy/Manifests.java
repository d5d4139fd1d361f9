package org.bwledger.bwctl.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Kubernetes manifests as the deploy tests read them: the chart rendered, or a file of documents. */
final class Manifests {

  static final Path CHART = Path.of("../helm/bwledger");

  private static final YAMLMapper YAML = new YAMLMapper();

  private Manifests() {}

  /** The chart, rendered by helm-java as {@code helm template} would with these {@code --set} values. */
  static List<JsonNode> ofChart(String release, String namespace, Map<String, Object> values) {
    TemplateCommand template = new Helm(CHART).template().withName(release).withNamespace(namespace);
    values.forEach(template::set);
    return documents(template.call());
  }

  /** The documents of a YAML file. */
  static List<JsonNode> ofFile(Path file) throws IOException {
    return documents(Files.readString(file));
  }

  private static List<JsonNode> documents(String text) {
    List<JsonNode> manifests = new ArrayList<>();
    try (var documents = YAML.readValues(YAML.getFactory().createParser(text), JsonNode.class)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && !document.isEmpty()) {
          manifests.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return manifests;
  }

  /**
   * Every {@code group/resource:verb} (or {@code path:verb}) the manifests' bindings give each
   * ServiceAccount, by its name; prefixed with {@code namespaced:} when a RoleBinding grants it in
   * one namespace alone. Bindings to roles the manifests do not hold (those Kubernetes ships) are left out.
   */
  static Map<String, Set<String>> grantsByAccount(List<JsonNode> manifests) {
    Map<String, JsonNode> roles = new TreeMap<>();
    manifests.stream().filter(m -> m.path("kind").asText().endsWith("Role"))
        .forEach(role -> roles.put(role.path("kind").asText() + "/" + role.at("/metadata/name").asText(), role));
    Map<String, Set<String>> granted = new TreeMap<>();
    for (JsonNode binding : manifests) {
      String kind = binding.path("kind").asText();
      JsonNode role = roles.get(binding.at("/roleRef/kind").asText() + "/" + binding.at("/roleRef/name").asText());
      if (!kind.endsWith("RoleBinding") || role == null) {
        continue;
      }
      String scope = kind.equals("RoleBinding") ? "namespaced:" : "";
      for (JsonNode subject : binding.path("subjects")) {
        granted.computeIfAbsent(subject.path("name").asText(), account -> new TreeSet<>()).addAll(grants(role, scope));
      }
    }
    return granted;
  }

  /** What one role's rules grant, each prefixed with {@code scope}. */
  static Set<String> grants(JsonNode role, String scope) {
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode verb : rule.path("verbs")) {
        for (JsonNode group : rule.path("apiGroups")) {
          for (JsonNode resource : rule.path("resources")) {
            grants.add(scope + group.asText() + "/" + resource.asText() + ":" + verb.asText());
          }
        }
        for (JsonNode path : rule.path("nonResourceURLs")) {
          grants.add(scope + path.asText() + ":" + verb.asText());
        }
      }
    }
    return grants;
  }
}
