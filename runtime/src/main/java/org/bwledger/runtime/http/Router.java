package org.bwledger.runtime.http;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.eclipse.jetty.http.pathmap.MatchedResource;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;

/**
 * Sends each call to the endpoint of its method and path, once the caller has the {@link Access}
 * the route needs. Paths are exact ({@code /healthz}), prefixes ({@code /scheduler/*}) or templates
 * whose parameters the endpoint reads ({@code /api/v1/nodes/{node}}); the most specific match wins.
 * A router is an endpoint itself, so a part of the API with its own error format is a router
 * mounted under a prefix.
 */
public final class Router implements Endpoint {

  /** Any method: the endpoint decides. */
  public static final String ANY = "*";

  /** One route: what the caller needs, and what answers. */
  private record Route(Access access, Endpoint endpoint) {}

  private final PathMappings<Map<String, Route>> routes = new PathMappings<>();
  private final Set<Access> accesses = new HashSet<>();
  private final BiFunction<Integer, String, Reply> errors;
  private final Guard guard;

  /**
   * @param errors how this part of the API says what went wrong: the reply for a status and message
   *     (401 and 403 from the guard, 404 for an unknown path, 405 for a method the path does not serve)
   * @param guard who decides whether a caller has a route's access
   */
  public Router(BiFunction<Integer, String, Reply> errors, Guard guard) {
    this.errors = errors;
    this.guard = guard;
  }

  /** A router that answers its errors as plain text. */
  public static Router withTextErrors(Guard guard) {
    return new Router((status, message) -> Reply.text(status, message + "\n"), guard);
  }

  public Router get(String path, Access access, Endpoint endpoint) {
    return route("GET", path, access, endpoint);
  }

  public Router post(String path, Access access, Endpoint endpoint) {
    return route("POST", path, access, endpoint);
  }

  /** Serves {@code path} with {@code endpoint} for {@code method}, or for every method with {@link #ANY}. */
  public Router route(String method, String path, Access access, Endpoint endpoint) {
    PathSpec spec = path.contains("{") ? new UriTemplatePathSpec(path) : PathSpec.from(path);
    Map<String, Route> byMethod = routes.get(spec);
    if (byMethod == null) {
      byMethod = new TreeMap<>();
      routes.put(spec, byMethod);
    }
    if (byMethod.putIfAbsent(method, new Route(access, endpoint)) != null) {
      throw new IllegalStateException(method + " " + path + " is routed twice");
    }
    accesses.add(access);
    if (endpoint instanceof Router mounted) {
      accesses.addAll(mounted.accesses);
    }
    return this;
  }

  /** The reply this router gives for an error status, in its format. */
  public Reply error(int status, String message) {
    return errors.apply(status, message);
  }

  /**
   * True when a caller would get past a route that needs credentials without showing any: the guard
   * checks no token, or the route needs a client certificate the listener does not ask for.
   */
  boolean opensProtectedRoutesOn(HttpSettings listener) {
    boolean tokens = accesses.stream().anyMatch(Access::needsToken) && !guard.authenticates();
    boolean certificates = accesses.contains(Access.CLIENT_CERTIFICATE)
        && (listener.tls() == null || !listener.tls().requiresClientCertificates());
    return tokens || certificates;
  }

  @Override
  public Reply handle(Call call) throws Exception {
    MatchedResource<Map<String, Route>> matched = routes.getMatched(call.path());
    if (matched == null) {
      return error(404, "no such path: " + call.path());
    }
    Map<String, Route> byMethod = matched.getResource();
    Route route = byMethod.getOrDefault(call.method(), byMethod.get(ANY));
    if (route == null) {
      return error(405, call.method() + " is not served here; " + String.join(", ", byMethod.keySet()) + " is")
          .withHeader("Allow", String.join(", ", byMethod.keySet()));
    }
    Call routed = matched.getPathSpec() instanceof UriTemplatePathSpec template
        ? call.withPathParameters(template.getPathParams(call.path()))
        : call;
    if (route.access().needsToken()) {
      Guard.Decision decision = guard.check(routed, route.access());
      if (!decision.allowed()) {
        Reply refused = error(decision.status(), decision.reason());
        return decision.status() == 401 ? refused.withHeader("WWW-Authenticate", "Bearer realm=\"bwledger\"") : refused;
      }
    }
    return route.endpoint().handle(routed);
  }
}
