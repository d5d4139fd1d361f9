package org.bwledger.projector.extender;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.bwledger.projector.extender.ExtenderProtocol.Args;
import org.bwledger.projector.extender.ExtenderProtocol.BindingArgs;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.Call;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the extender's verbs over HTTP at {@code <prefix>/filter}, {@code /prioritize} and
 * {@code /bind}: the {@code urlPrefix} and verbs of the scheduler's extender configuration. Errors are
 * answered as the scheduler reads them, {@code {"Error": "…"}}.
 *
 * <p>One replica decides: the one holding the Lease, whose placement book holds every bind in
 * flight. Another replica passes each call on to it and relays the answer, so the scheduler may call
 * any replica (a Service) and a burst still meets one book.
 */
public final class ExtenderEndpoint {

  /** Where the verbs are served; kube-scheduler's {@code urlPrefix} ends here. */
  public static final String PREFIX = "/scheduler";

  /** Marks a call passed on by another replica: it is answered here, never passed on again. */
  static final String PASSED_ON = "Bwledger-Passed-On";

  /** No replica decides at the moment; the scheduler tries the pod again. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String why) {
      super(why);
    }
  }

  private static final Duration PASS_ON_TIMEOUT = Duration.ofSeconds(4);

  private static final Logger log = LoggerFactory.getLogger(ExtenderEndpoint.class);

  private final SchedulerExtender extender;
  private final ObjectMapper json;
  private final ObjectReader args;
  private final ObjectReader bindingArgs;
  private final Map<String, Timer> latency;
  private final Supplier<Optional<URI>> decider;
  private final HttpClient http;

  /**
   * @param decider the base URL of the replica that decides, or empty when this one does; throws
   *     {@link Unavailable} while none does
   * @param peers how this replica calls another's extender: the TLS context presenting its
   *     certificate, null where the extender speaks plain HTTP (on 127.0.0.1)
   */
  public ExtenderEndpoint(SchedulerExtender extender, Supplier<Optional<URI>> decider, SSLContext peers,
      ObjectMapper json, MeterRegistry metrics) {
    this.extender = extender;
    this.decider = decider;
    this.json = json;
    // Over TLS, ALPN settles on HTTP/2; in clear text, HTTP/1.1 spares the h2c upgrade dance.
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(PASS_ON_TIMEOUT);
    this.http = (peers == null ? client.version(HttpClient.Version.HTTP_1_1) : client.sslContext(peers)).build();
    // Newer schedulers may send fields this extender does not know; they must not fail a request.
    this.args = json.readerFor(Args.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.bindingArgs = json.readerFor(BindingArgs.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.latency = Map.of(
        "filter", timer(metrics, "filter"), "prioritize", timer(metrics, "prioritize"), "bind", timer(metrics, "bind"));
  }

  /**
   * The verbs, POSTed under {@link #PREFIX}; any other path there is a 404 naming them. Callers are
   * the scheduler and other replicas, who show a certificate the listener checks (mutual TLS).
   */
  public Router router() {
    Router router = new Router((status, message) -> error(status, message), Guard.NONE);
    latency.keySet().forEach(verb -> router.post(PREFIX + "/" + verb, Access.CLIENT_CERTIFICATE, call -> verb(verb, call)));
    return router.route(Router.ANY, PREFIX + "/*", Access.CLIENT_CERTIFICATE, call -> error(404, "no extender verb '"
        + call.path().substring(PREFIX.length()).replaceAll("^/+|/+$", "") + "'; there are filter, prioritize, bind"));
  }

  private Reply verb(String verb, Call call) throws IOException {
    long start = System.nanoTime();
    try {
      byte[] body = call.body();
      Optional<URI> elsewhere = decider.get();
      if (elsewhere.isPresent() && call.header(PASSED_ON).isEmpty()) {
        return passOn(elsewhere.get().resolve(PREFIX + "/" + verb), body);
      }
      Object answer = switch (verb) {
        case "filter" -> extender.filter(candidates(read(body)));
        case "prioritize" -> extender.prioritize(candidates(read(body)));
        default -> extender.bind(bindingArgs.readValue(body));
      };
      return Reply.json(200, json.writeValueAsBytes(answer));
    } catch (Unavailable e) {
      return error(503, e.getMessage());
    } catch (SchedulerExtender.Refused e) {
      return error(e.status(), e.getMessage());
    } catch (JacksonException e) {
      return error(400, "cannot read the " + verb + " request: " + e.getOriginalMessage());
    } catch (IllegalArgumentException e) {
      return error(400, "the " + verb + " request " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Extender {} failed: {}", verb, e.toString());
      return error(500, verb + " failed: " + e);
    } finally {
      latency.get(verb).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** Asks the deciding replica and relays its answer as it came. */
  private Reply passOn(URI target, byte[] body) {
    try {
      HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(target).timeout(PASS_ON_TIMEOUT)
          .header("Content-Type", "application/json").header(PASSED_ON, "true")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
      return Reply.json(answer.statusCode(), answer.body());
    } catch (IOException e) {
      return error(503, "the deciding replica at " + target + " did not answer: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(503, "interrupted while asking " + target);
    }
  }

  /** Reads filter's and prioritize's arguments; whole nodes are kept as the text cut from {@code body}. */
  private Args read(byte[] body) throws IOException {
    return args.withAttribute(CandidateNodes.SOURCE, body).readValue(body);
  }

  private static Args candidates(Args args) {
    if (args == null || args.pod() == null || args.pod().getMetadata() == null) {
      throw new IllegalArgumentException("has no Pod");
    }
    var pod = args.pod().getMetadata();
    if (pod.getUid() == null || pod.getName() == null || pod.getNamespace() == null) {
      throw new IllegalArgumentException("has a Pod without metadata.uid, name or namespace");
    }
    if (args.nodes() == null && args.nodeNames() == null) {
      throw new IllegalArgumentException("has neither Nodes nor NodeNames");
    }
    if (args.nodeNames() != null && args.nodeNames().contains(null)) {
      throw new IllegalArgumentException("has a null in NodeNames");
    }
    return args;
  }

  private Reply error(int status, String message) {
    try {
      return Reply.json(status, json.writeValueAsBytes(Map.of("Error", message)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Timer timer(MeterRegistry metrics, String verb) {
    return Timer.builder("bwledger.extender.requests").tag("verb", verb)
        .publishPercentiles(0.5, 0.99).register(metrics);
  }
}
