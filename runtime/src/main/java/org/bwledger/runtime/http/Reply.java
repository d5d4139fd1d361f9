package org.bwledger.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link Endpoint} answers: a status, a content type and the whole body.
 *
 * @param headers further response headers
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

  public static final String JSON = "application/json";
  public static final String TEXT = "text/plain; charset=utf-8";

  public Reply {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  public static Reply of(int status, String contentType, byte[] body) {
    return new Reply(status, contentType, body, Map.of());
  }

  public static Reply json(int status, byte[] body) {
    return of(status, JSON, body);
  }

  public static Reply text(int status, String body) {
    return of(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The same reply with one more header. */
  public Reply withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Reply(status, contentType, body, more);
  }
}
