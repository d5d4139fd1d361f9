package org.bwledger.runtime.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

/**
 * Sends each call to the endpoint of its method and path. Paths are exact ({@code /healthz}),
 * prefixes ({@code /scheduler/*}) or templates whose parameters the endpoint reads
 * ({@code /api/v1/nodes/{node}}); the most specific match wins. A router is an endpoint itself, so a
 * part of the API with its own error format is a router mounted under a prefix.
 */
public final class Router implements Endpoint {

  /** Any method: the endpoint decides. */
  public static final String ANY = "*";

  private final PathMappings<Map<String, Endpoint>> routes = new PathMappings<>();
  private final BiFunction<Integer, String, Reply> errors;

  /**
   * @param errors how this part of the API says what went wrong: the reply for a status and message
   *     (404 for an unknown path, 405 for a method the path does not serve)
   */
  public Router(BiFunction<Integer, String, Reply> errors) {
    this.errors = errors;
  }

  /** A router that answers its errors as plain text. */
  public static Router withTextErrors() {
    return new Router((status, message) -> Reply.text(status, message + "\n"));
  }

  public Router get(String path, Endpoint endpoint) {
    return route("GET", path, endpoint);
  }

  public Router post(String path, Endpoint endpoint) {
    return route("POST", path, endpoint);
  }

  /** Serves {@code path} with {@code endpoint} for {@code method}, or for every method with {@link #ANY}. */
  public Router route(String method, String path, Endpoint endpoint) {
    PathSpec spec = path.contains("{") ? new UriTemplatePathSpec(path) : PathSpec.from(path);
    Map<String, Endpoint> byMethod = routes.get(spec);
    if (byMethod == null) {
      byMethod = new TreeMap<>();
      routes.put(spec, byMethod);
    }
    if (byMethod.putIfAbsent(method, endpoint) != null) {
      throw new IllegalStateException(method + " " + path + " is routed twice");
    }
    return this;
  }

  /** The reply this router gives for an error status, in its format. */
  public Reply error(int status, String message) {
    return errors.apply(status, message);
  }

  @Override
  public Reply handle(Call call) throws Exception {
    MatchedResource<Map<String, Endpoint>> matched = routes.getMatched(call.path());
    if (matched == null) {
      return error(404, "no such path: " + call.path());
    }
    Map<String, Endpoint> byMethod = matched.getResource();
    Endpoint endpoint = byMethod.getOrDefault(call.method(), byMethod.get(ANY));
    if (endpoint == null) {
      return error(405, call.method() + " is not served here; " + String.join(", ", byMethod.keySet()) + " is")
          .withHeader("Allow", String.join(", ", byMethod.keySet()));
    }
    Call routed = matched.getPathSpec() instanceof UriTemplatePathSpec template
        ? call.withPathParameters(template.getPathParams(call.path()))
        : call;
    return endpoint.handle(routed);
  }
}
