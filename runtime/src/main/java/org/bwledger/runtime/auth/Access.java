package org.bwledger.runtime.auth;

import java.util.Objects;

/**
 * What a caller needs to call a route. Every route says it when it is registered, so no route is
 * open by omission.
 */
public sealed interface Access {

  /** Anyone: the probes, and the API's description. */
  Access OPEN = new Open();

  /** A client certificate the listener's CA signed (mutual TLS): the scheduler extender's callers. */
  Access CLIENT_CERTIFICATE = new ClientCertificate();

  /** Anyone; see {@link #OPEN}. */
  record Open() implements Access {}

  /** A verified client certificate; see {@link #CLIENT_CERTIFICATE}. */
  record ClientCertificate() implements Access {}

  /**
   * A bearer token whose user may {@code verb} the resource, as a SubjectAccessReview's
   * {@code resourceAttributes} ask it.
   *
   * @param group the API group, e.g. {@code networking.vaclab.org}
   * @param resource the resource, e.g. {@code bandwidths}
   * @param nameParameter the route's path parameter naming the object (asked as {@code name}), or null
   */
  record OnResource(String verb, String group, String resource, String nameParameter) implements Access {
    public OnResource {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(resource, "resource");
    }
  }

  /** A bearer token whose user may {@code verb} the path, as {@code nonResourceAttributes} ask it. */
  record OnPath(String verb, String path) implements Access {
    public OnPath {
      Objects.requireNonNull(verb, "verb");
      Objects.requireNonNull(path, "path");
    }
  }

  /** True when the caller must show a bearer token. */
  default boolean needsToken() {
    return this instanceof OnResource || this instanceof OnPath;
  }
}
