package org.bwledger.simulator.api;

import java.util.List;

/**
 * One kind of object the simulated API serves, as discovery describes it.
 *
 * @param group the API group, empty for the core group
 * @param plural the name in paths, e.g. {@code pods}
 * @param verbs what can be done to it, as RBAC names them
 * @param subresources what lives under an object of it, e.g. {@code pods/binding}
 * @param table how {@code kubectl get} shows it
 */
record ApiResource(String group, String version, String plural, String singular, String kind, boolean namespaced,
    List<String> verbs, List<String> shortNames, List<String> categories, List<Subresource> subresources,
    TableConverter table) {

  /** What an object of a kind can be asked: the usual verbs of a stored resource. */
  static final List<String> STORED = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update",
      "watch");

  /** A review or a binding: posted, answered, never stored. */
  static final List<String> CREATE_ONLY = List.of("create");

  /**
   * A subresource, e.g. {@code status} or {@code binding}.
   *
   * @param kind what it takes and answers
   */
  record Subresource(String name, String kind, List<String> verbs) {}

  ApiResource {
    verbs = List.copyOf(verbs);
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /** {@code v1} for the core group, {@code apps/v1} for others. */
  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
