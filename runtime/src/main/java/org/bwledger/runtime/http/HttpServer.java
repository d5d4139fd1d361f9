package org.bwledger.runtime.http;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of a bwledger process (Jetty): a bounded pool of threads, idle connections closed,
 * request headers and bodies bounded, and on close no new calls while those under way finish.
 */
public final class HttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private static final int MAX_THREADS = 32;
  private static final int MIN_THREADS = 4;
  private static final long IDLE_TIMEOUT_MS = 30_000;
  private static final int HEADER_LIMIT = 16 * 1024;
  /** Large enough for a scheduler's whole NodeList of thousands of nodes. */
  private static final long BODY_LIMIT = 64L * 1024 * 1024;
  private static final long STOP_TIMEOUT_MS = 1_000;

  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler calls;

  private HttpServer(Server server, ServerConnector connector, GracefulHandler calls) {
    this.server = server;
    this.connector = connector;
    this.calls = calls;
  }

  /**
   * Serves {@code endpoint} at {@code settings}; returns once it listens.
   *
   * @param name what the server's threads are named after
   */
  public static HttpServer start(String name, HttpSettings settings, Endpoint endpoint) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName("bwledger-http-" + name);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(HEADER_LIMIT);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    SizeLimitHandler bounded = new SizeLimitHandler(BODY_LIMIT, -1);
    bounded.setHandler(new EndpointHandler(endpoint));
    GracefulHandler calls = new GracefulHandler(bounded);
    server.setHandler(calls);
    server.start();
    return new HttpServer(server, connector, calls);
  }

  /** The port it listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * Stops taking calls (new ones get a 503) and lets those under way finish, for a second at most;
   * then closes every connection, idle keep-alive ones included.
   */
  @Override
  public void close() {
    try {
      calls.shutdown().get(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("HTTP calls still under way after {} ms are cut off", STOP_TIMEOUT_MS);
    } catch (ExecutionException e) {
      log.warn("Waiting for HTTP calls under way failed: {}", e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("Stopping the HTTP server failed: {}", e.toString());
    }
  }

  /** Calls an {@link Endpoint} and writes its reply; what it throws is a 500 without details. */
  private static final class EndpointHandler extends Handler.Abstract {
    private final Endpoint endpoint;

    EndpointHandler(Endpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Reply reply;
      try {
        Fields query = Request.extractQueryParameters(request);
        reply = endpoint.handle(new Call(request, query, Map.of(), BODY_LIMIT));
      } catch (Call.BodyTooLarge e) {
        reply = Reply.text(413, e.getMessage() + "\n");
      } catch (Exception e) {
        log.warn("{} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
        reply = Reply.text(500, "internal error\n");
      }
      response.setStatus(reply.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
      reply.headers().forEach(response.getHeaders()::put);
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
      return true;
    }
  }
}
