package org.bwledger.projector.extender;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bwledger.projector.extender.ExtenderProtocol.Args;
import org.bwledger.projector.extender.ExtenderProtocol.BindingArgs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the extender's verbs over HTTP at {@code <prefix>/filter}, {@code /prioritize} and
 * {@code /bind}: the {@code urlPrefix} and verbs of the scheduler's extender configuration.
 */
public final class ExtenderHandler implements HttpHandler {

  /** Where the verbs are served; kube-scheduler's {@code urlPrefix} ends here. */
  public static final String PREFIX = "/scheduler";

  private static final Logger log = LoggerFactory.getLogger(ExtenderHandler.class);

  private final SchedulerExtender extender;
  private final ObjectMapper json;
  private final ObjectReader args;
  private final ObjectReader bindingArgs;
  private final Map<String, Timer> latency;

  public ExtenderHandler(SchedulerExtender extender, ObjectMapper json, MeterRegistry metrics) {
    this.extender = extender;
    this.json = json;
    // Newer schedulers may send fields this extender does not know; they must not fail a request.
    this.args = json.readerFor(Args.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.bindingArgs = json.readerFor(BindingArgs.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.latency = Map.of(
        "filter", timer(metrics, "filter"), "prioritize", timer(metrics, "prioritize"), "bind", timer(metrics, "bind"));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String verb = exchange.getRequestURI().getPath().substring(PREFIX.length()).replaceAll("^/+|/+$", "");
      Timer timer = latency.get(verb);
      if (timer == null) {
        send(exchange, 404, Map.of("Error", "no extender verb '" + verb + "'; there are filter, prioritize, bind"));
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        send(exchange, 405, Map.of("Error", "extender verbs are POSTed"));
        return;
      }
      long start = System.nanoTime();
      try (InputStream body = exchange.getRequestBody()) {
        Object answer = switch (verb) {
          case "filter" -> extender.filter(candidates(args.readValue(body)));
          case "prioritize" -> extender.prioritize(candidates(args.readValue(body)));
          default -> extender.bind(binding(bindingArgs.readValue(body)));
        };
        send(exchange, 200, answer);
      } catch (JacksonException e) {
        send(exchange, 400, Map.of("Error", "cannot read the " + verb + " request: " + e.getOriginalMessage()));
      } catch (IllegalArgumentException e) {
        send(exchange, 400, Map.of("Error", "the " + verb + " request " + e.getMessage()));
      } catch (RuntimeException e) {
        log.warn("Extender {} failed: {}", verb, e.toString());
        send(exchange, 500, Map.of("Error", verb + " failed: " + e));
      } finally {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    }
  }

  private static Args candidates(Args args) {
    if (args == null || args.pod() == null || args.pod().getMetadata() == null) {
      throw new IllegalArgumentException("has no Pod");
    }
    if (args.nodes() == null && args.nodeNames() == null) {
      throw new IllegalArgumentException("has neither Nodes nor NodeNames");
    }
    return args;
  }

  private static BindingArgs binding(BindingArgs args) {
    if (args == null || args.podName() == null || args.podNamespace() == null || args.podUid() == null
        || args.node() == null) {
      throw new IllegalArgumentException("needs PodName, PodNamespace, PodUID and Node");
    }
    return args;
  }

  private void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Timer timer(MeterRegistry metrics, String verb) {
    return Timer.builder("bwledger.extender.requests").tag("verb", verb)
        .publishPercentiles(0.5, 0.99).register(metrics);
  }
}
