package org.bwledger.runtime.http;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener of a bwledger process (Jetty): HTTP/1.1 and HTTP/2, plain or TLS (with client
 * certificates where its settings name a client CA), its own bounded pool of threads so that one
 * listener's load cannot starve another's (the probes are a listener of their own), a bound on
 * connections, request headers and bodies, idle and slow connections closed, and on close no new
 * calls while those under way finish.
 *
 * <p>A listener that would let a caller past a route that needs credentials without showing any
 * ({@code --auth=none}, or the extender without client certificates) refuses to start unless it is
 * reachable from this machine only.
 */
public final class HttpServer implements AutoCloseable {

  /**
   * What one listener takes at most.
   *
   * @param threads threads serving calls at once
   * @param bodyBytes the largest request body; a larger one is answered 413 without being read
   * @param connections open connections; more wait to be accepted
   */
  public record Limits(int threads, long bodyBytes, int connections) {

    /** Probes: a kubelet and little else; nothing to upload. */
    public static final Limits PROBES = new Limits(8, 1024, 64);

    /**
     * A JSON API that takes no uploads: REST queries and metrics. Its answers are computed here, not
     * waited for (the stores are local, token reviews cached), so it takes four threads a core: more
     * would only take turns on the processors, which lengthens the slowest answers under load (a node's
     * p99 at 16 connections on 2 cores: 9.1 ms with 32 threads, 5.3–6.1 ms with 8).
     */
    public static final Limits API = new Limits(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
        64 * 1024, 512);

    /** Admission webhooks: a review holds the object, which the API server caps at about 3 MiB. */
    public static final Limits ADMISSION = new Limits(32, 4L * 1024 * 1024, 512);

    /** The scheduler extender: a whole NodeList of thousands of nodes fits (16 MiB). */
    public static final Limits EXTENDER = new Limits(32, 16L * 1024 * 1024, 512);
  }

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private static final long IDLE_TIMEOUT_MS = 30_000;
  private static final int HEADER_LIMIT = 16 * 1024;
  /** A body trickling in slower than this is cut off: a slow client cannot hold a thread for long. */
  private static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
  private static final long STOP_TIMEOUT_MS = 1_000;
  /** The whole body must have arrived by then. */
  private static final long BODY_DEADLINE_MS = 30_000;

  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler calls;

  private HttpServer(Server server, ServerConnector connector, GracefulHandler calls) {
    this.server = server;
    this.connector = connector;
    this.calls = calls;
  }

  /**
   * Serves {@code router} at {@code settings}; returns once it listens.
   *
   * @param name what the listener's threads are named after
   * @throws IllegalStateException when the listener would open routes that need credentials beyond
   *     this machine
   */
  public static HttpServer start(String name, HttpSettings settings, Limits limits, Router router) throws Exception {
    if (router.opensProtectedRoutesOn(settings) && !settings.loopbackOnly()) {
      throw new IllegalStateException("the " + name + " listener would serve routes that need credentials to anyone at "
          + settings.host() + ": without --auth=kubernetes (and, for the scheduler extender, TLS with a client CA) "
          + "it listens on 127.0.0.1 only");
    }
    QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), Math.min(4, limits.threads()));
    threads.setName("bwledger-http-" + name);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setRequestHeaderSize(HEADER_LIMIT);
    http.setIdleTimeout(IDLE_TIMEOUT_MS);
    http.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
    ServerConnector connector = new ServerConnector(server, connectionFactories(http, settings.tls()));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(limits.connections(), connector));
    SizeLimitHandler bounded = new SizeLimitHandler(limits.bodyBytes(), -1);
    bounded.setHandler(new EndpointHandler(router, limits.bodyBytes()));
    GracefulHandler calls = new GracefulHandler(bounded);
    server.setHandler(calls);
    server.start();
    return new HttpServer(server, connector, calls);
  }

  /** HTTP/1.1 and HTTP/2: in clear text (h2c), or over TLS with HTTP/2 chosen by ALPN. */
  private static ConnectionFactory[] connectionFactories(HttpConfiguration http, TlsSettings tls) throws Exception {
    if (tls == null) {
      return new ConnectionFactory[] {new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http)};
    }
    // Clients call by IP or by a Service's name alike: the certificate is checked by the client, not the Host.
    http.addCustomizer(new SecureRequestCustomizer(false));
    SslContextFactory.Server context = new SslContextFactory.Server();
    context.setSslContext(tls.sslContext());
    context.setNeedClientAuth(tls.requiresClientCertificates());
    HttpConnectionFactory http1 = new HttpConnectionFactory(http);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", http1.getProtocol());
    alpn.setDefaultProtocol(http1.getProtocol());
    return new ConnectionFactory[] {new SslConnectionFactory(context, alpn.getProtocol()), alpn,
        new HTTP2ServerConnectionFactory(http), http1};
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

  /**
   * Reads the whole body without holding a thread (a slow sender costs a connection, not a thread),
   * then calls the {@link Router} on a thread of the listener's pool and writes its reply; what it
   * throws is a 500 without details.
   */
  private static final class EndpointHandler extends Handler.Abstract.NonBlocking {
    private final Router router;
    private final long bodyLimit;

    EndpointHandler(Router router, long bodyLimit) {
      this.router = router;
      this.bodyLimit = bodyLimit;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (request.getLength() > bodyLimit) {
        respond(request, response, callback, tooLarge());
        return true;
      }
      Content.Source.asByteArrayAsync(request, (int) bodyLimit)
          .orTimeout(BODY_DEADLINE_MS, TimeUnit.MILLISECONDS)
          .whenComplete((body, failure) -> request.getComponents().getExecutor().execute(() ->
              respond(request, response, callback, failure == null ? call(request, body) : unreadable(failure))));
      return true;
    }

    private Reply call(Request request, byte[] body) {
      try {
        Fields query = Request.extractQueryParameters(request);
        return router.handle(new Call(request, query, Map.of(), body));
      } catch (IllegalArgumentException e) {
        return router.error(400, "the request cannot be read: " + e.getMessage());
      } catch (Exception e) {
        log.warn("{} {} failed: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
        return router.error(500, "internal error");
      }
    }

    /** Why a body could not be read: too long, too slow, or the connection went. */
    private Reply unreadable(Throwable failure) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof TimeoutException) {
        return router.error(408, "the body did not arrive within " + BODY_DEADLINE_MS / 1000 + " s");
      }
      if (cause instanceof HttpException http && http.getCode() == 413 || cause instanceof IllegalArgumentException) {
        return tooLarge(); // more arrived than the limit, without a Content-Length saying so
      }
      return router.error(400, "the body cannot be read: " + cause.getClass().getSimpleName());
    }

    private Reply tooLarge() {
      return router.error(413, "the body exceeds " + bodyLimit + " bytes");
    }

    private static void respond(Request request, Response response, Callback callback, Reply reply) {
      response.setStatus(reply.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
      reply.headers().forEach(response.getHeaders()::put);
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
  }
}
