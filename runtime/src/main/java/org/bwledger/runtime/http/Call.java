package org.bwledger.runtime.http;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * One HTTP request as an {@link Endpoint} sees it: method, path (with the parameters its route
 * template named), query parameters, headers and a body read up to the listener's limit.
 */
public final class Call {

  /** A body longer than the listener accepts; answered 413. */
  public static final class BodyTooLarge extends IOException {
    BodyTooLarge(long limit) {
      super("the body exceeds " + limit + " bytes");
    }
  }

  private final Request request;
  private final Fields query;
  private final Map<String, String> pathParameters;
  private final long bodyLimit;

  Call(Request request, Fields query, Map<String, String> pathParameters, long bodyLimit) {
    this.request = request;
    this.query = query;
    this.pathParameters = Map.copyOf(pathParameters);
    this.bodyLimit = bodyLimit;
  }

  /** The same call, with the parameters a route template matched in its path. */
  Call withPathParameters(Map<String, String> parameters) {
    return new Call(request, query, parameters, bodyLimit);
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

  /**
   * The whole body.
   *
   * @throws BodyTooLarge when it is longer than the listener accepts; what was read is dropped
   */
  public byte[] body() throws IOException {
    if (request.getLength() > bodyLimit) {
      throw new BodyTooLarge(bodyLimit);
    }
    try {
      return Content.Source.asByteArrayAsync(request, (int) bodyLimit).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalStateException) {
        throw new BodyTooLarge(bodyLimit); // more arrived than the limit, without a Content-Length saying so
      }
      throw new IOException("reading the body failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the body", e);
    }
  }
}
