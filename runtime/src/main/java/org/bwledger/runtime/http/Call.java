package org.bwledger.runtime.http;

import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One HTTP request as an {@link Endpoint} sees it: method, path (with the parameters its route
 * template named), query parameters, headers and the whole body, read before the endpoint runs.
 */
public final class Call {

  private final Request request;
  private final Fields query;
  private final Map<String, String> pathParameters;
  private final byte[] body;

  Call(Request request, Fields query, Map<String, String> pathParameters, byte[] body) {
    this.request = request;
    this.query = query;
    this.pathParameters = Map.copyOf(pathParameters);
    this.body = body;
  }

  /** The same call, with the parameters a route template matched in its path. */
  Call withPathParameters(Map<String, String> parameters) {
    return new Call(request, query, parameters, body);
  }

  public String method() {
    return request.getMethod();
  }

  /** The decoded path, e.g. {@code /api/v1/nodes/n1}. */
  public String path() {
    return request.getHttpURI().getDecodedPath();
  }

  /** A parameter the route's template names, e.g. {@code node} in {@code /api/v1/nodes/{node}}. */
  public String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the route has no path parameter '" + name + "'");
    }
    return value;
  }

  /** A query parameter, decoded; empty when absent. */
  public Optional<String> query(String name) {
    return Optional.ofNullable(query.getValue(name));
  }

  /** A request header; empty when absent. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().getField(name)).map(HttpField::getValue);
  }

  /** The whole body; empty when there was none. */
  public byte[] body() {
    return body;
  }
}
