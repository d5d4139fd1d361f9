package org.bwledger.ingest.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The operations endpoints a kubelet and Prometheus call: {@code /healthz} (liveness),
 * {@code /readyz} (readiness, with the reason when not ready) and {@code /metrics}.
 */
public final class OpsServer implements AutoCloseable {

  /**
   * What the probes report.
   *
   * @param live false when the process should be restarted
   * @param ready false while it cannot do its job, with why
   */
  public record Health(boolean live, boolean ready, String reason) {}

  static {
    // Without TCP_NODELAY the JDK's server holds small keep-alive responses back by some 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;

  public OpsServer(String host, int port, Supplier<Health> health, PrometheusMeterRegistry metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/healthz", exchange -> {
      Health now = health.get();
      respond(exchange, now.live() ? 200 : 503, "text/plain", now.live() ? "ok\n" : "not live: " + now.reason() + "\n");
    });
    server.createContext("/readyz", exchange -> {
      Health now = health.get();
      respond(exchange, now.ready() ? 200 : 503, "text/plain", now.ready() ? "ok\n" : "not ready: " + now.reason() + "\n");
    });
    server.createContext("/metrics", exchange ->
        respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.start();
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
