package org.bwledger.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.metrics.ProcessMetrics;
import org.bwledger.runtime.process.Health;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer every process shares, over real HTTP on loopback. */
class HttpServerTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void routesByMethodAndPathAndHandsTemplateAndQueryParametersToTheEndpoint() throws Exception {
    server = HttpServer.start("test", HttpSettings.loopback(), HttpServer.Limits.API, Router.withTextErrors(Guard.NONE)
        .get("/nodes/{node}", Access.OPEN, call -> Reply.text(200, call.pathParameter("node") + " at " + call.query("at").orElse("now")))
        .post("/echo", Access.OPEN, call -> Reply.of(200, "application/octet-stream", call.body())));

    assertThat(get("/nodes/n-1?at=2026-11-23T10:15:30Z")).isEqualTo("200 n-1 at 2026-11-23T10:15:30Z");
    assertThat(get("/nodes/n-1")).isEqualTo("200 n-1 at now");
    assertThat(send(HttpRequest.newBuilder(uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("héllo"))))
        .isEqualTo("200 héllo");
    assertThat(get("/nowhere")).isEqualTo("404 no such path: /nowhere\n");
    assertThat(get("/echo")).isEqualTo("405 GET is not served here; POST is\n");
  }

  @Test
  void aRouterMountedUnderAPrefixAnswersItsOwnErrorsAndTheMostSpecificPathWins() throws Exception {
    Router inner = new Router((status, message) -> Reply.text(status, "inner " + status), Guard.NONE)
        .post("/part/exact", Access.OPEN, call -> Reply.text(200, "exact"));
    server = HttpServer.start("test", HttpSettings.loopback(), HttpServer.Limits.API, Router.withTextErrors(Guard.NONE)
        .route(Router.ANY, "/part/*", Access.OPEN, inner)
        .get("/part/special", Access.OPEN, call -> Reply.text(200, "special")));

    assertThat(send(HttpRequest.newBuilder(uri("/part/exact")).POST(HttpRequest.BodyPublishers.noBody())))
        .isEqualTo("200 exact");
    assertThat(get("/part/special")).isEqualTo("200 special");
    assertThat(get("/part/other")).isEqualTo("404 inner 404");
    assertThat(get("/other")).startsWith("404 no such path");
  }

  @Test
  void whatAnEndpointThrowsIsA500WithoutItsDetails() throws Exception {
    server = HttpServer.start("test", HttpSettings.loopback(), HttpServer.Limits.API, Router.withTextErrors(Guard.NONE)
        .get("/boom", Access.OPEN, call -> {
          throw new IllegalStateException("secret internal detail");
        }));

    String answer = get("/boom");

    assertThat(answer).startsWith("500").doesNotContain("secret");
  }

  @Test
  void aBodyDeclaredLargerThanTheLimitIsRefusedWithA413BeforeItIsRead() throws Exception {
    AtomicReference<String> reached = new AtomicReference<>("no");
    server = HttpServer.start("test", HttpSettings.loopback(), HttpServer.Limits.API, Router.withTextErrors(Guard.NONE)
        .post("/upload", Access.OPEN, call -> {
          reached.set("yes");
          return Reply.text(200, call.body().length + " bytes");
        }));

    // Only the headers are sent: an answer proves the body was never waited for.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(statusLine).isEqualTo("HTTP/1.1 413");
    }
    assertThat(reached.get()).isEqualTo("no");
  }

  @Test
  void bodiesOverTheLimitWithoutALengthAreCutOffAt413AndNoneIsKept() throws Exception {
    server = HttpServer.start("test", HttpSettings.loopback(), new HttpServer.Limits(8, 1024 * 1024, 64),
        Router.withTextErrors(Guard.NONE).post("/upload", Access.OPEN, call -> Reply.text(200, call.body().length + "")));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();

    List<CompletableFuture<String>> uploads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      uploads.add(CompletableFuture.supplyAsync(() -> chunkedUpload(server.port(), 64)));
    }
    for (CompletableFuture<String> upload : uploads) {
      assertThat(upload.get(30, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 413");
    }
    System.gc();
    long after = memory.getHeapMemoryUsage().getUsed();

    assertThat(after - before).as("heap kept after 16 uploads of 64 MiB against a 1 MiB limit")
        .isLessThan(32L * 1024 * 1024);
    assertThat(send(HttpRequest.newBuilder(uri("/upload")).POST(HttpRequest.BodyPublishers.ofString("small"))))
        .isEqualTo("200 5");
  }

  @Test
  void slowSendersHoldNoThreadSoEveryoneElseIsAnsweredWithinASecond() throws Exception {
    server = HttpServer.start("test", HttpSettings.loopback(), new HttpServer.Limits(8, 1024 * 1024, 256),
        Router.withTextErrors(Guard.NONE).post("/scheduler/filter", Access.OPEN,
            call -> Reply.text(200, call.body().length + " bytes")));
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        // Half send their headers a byte at a time; half a whole header and then a body that never comes.
        String start = i % 2 == 0 ? "POST /scheduler/filter HTTP/1.1\r\nHost: x\r\nX-Slow: "
            : "POST /scheduler/filter HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{";
        socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      for (int round = 0; round < 3; round++) {
        for (Socket socket : slow) {
          socket.getOutputStream().write('a');
          socket.getOutputStream().flush();
        }
        long start = System.nanoTime();
        assertThat(send(HttpRequest.newBuilder(uri("/scheduler/filter")).POST(HttpRequest.BodyPublishers.ofString("{}"))))
            .isEqualTo("200 2 bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void aCallUnderWayFinishesWhenTheServerClosesAndIdleConnectionsDoNotHoldItUp() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    server = HttpServer.start("test", HttpSettings.loopback(), HttpServer.Limits.API, Router.withTextErrors(Guard.NONE)
        .get("/quick", Access.OPEN, call -> Reply.text(200, "quick"))
        .get("/slow", Access.OPEN, call -> {
          inside.countDown();
          release.await();
          return Reply.text(200, "finished");
        }));
    assertThat(get("/quick")).isEqualTo("200 quick"); // leaves an idle keep-alive connection behind

    CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(uri("/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    inside.await();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/quick").startsWith("503")); // closing: no new calls
    release.countDown();

    assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("finished");
    long start = System.nanoTime();
    closing.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
  }

  @Test
  void probesFollowTheHealthAndMetricsAreScraped() throws Exception {
    AtomicReference<Health> health = new AtomicReference<>(Health.notReady("listing the cluster"));
    ProcessMetrics processMetrics = new ProcessMetrics();
    processMetrics.registry().counter("bwledger.test.calls").increment();
    server = HttpServer.start("test", HttpSettings.loopback(), HttpServer.Limits.PROBES, Probes.router(health::get));
    HttpServer metricsServer = HttpServer.start("metrics", HttpSettings.loopback(), HttpServer.Limits.API,
        processMetrics.addTo(Router.withTextErrors(Guard.NONE)));

    assertThat(get("/healthz")).isEqualTo("200 ok\n");
    assertThat(get("/readyz")).isEqualTo("503 not ready: listing the cluster\n");
    health.set(Health.OK);
    assertThat(get("/readyz")).isEqualTo("200 ok\n");
    health.set(Health.dead("a watch stopped"));
    assertThat(get("/healthz")).isEqualTo("503 not live: a watch stopped\n");
    try (metricsServer) {
      String metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsServer.port() + "/metrics")));
      assertThat(metrics).startsWith("200").contains("bwledger_test_calls_total 1.0").contains("jvm_memory_used_bytes");
    }
  }

  /** Sends {@code mebibytes} of body in chunks, without a length, until the server answers; its status line. */
  private static String chunkedUpload(int port, int mebibytes) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        for (int sent = 0; sent < mebibytes * 16; sent++) {
          out.write(header);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException closed) {
        // the server answered and closed while the body was still coming: read what it said
      }
      return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)));
  }

  private String send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
