package org.bwledger.testkit;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.kube.crd.BandwidthObjects;
import org.bwledger.simulator.api.SimulatedApiServer;

/**
 * The Kubernetes API of the tests: the local laboratory's simulated API (fabric8's CRUD store, DESIGN
 * §7, behind a front that binds pods, resumes watches and serves discovery as an API server does)
 * with the Bandwidth definition installed; what only tests need on top (TokenReviews and
 * SubjectAccessReviews answered from the tokens and grants a test gives, status writes that fail,
 * a bind raced by another scheduler); and builders for the objects tests create.
 */
public final class MockCluster implements AutoCloseable {

  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
  private static final Pattern BINDING =
      Pattern.compile("/api/v1/namespaces/([^/]+)/(?:pods/([^/]+)/binding|bindings)");
  private static final Pattern BANDWIDTH_STATUS =
      Pattern.compile("/apis/" + BandwidthObjects.GROUP + "/v1/bandwidths/[^/]+/status");

  private final SimulatedApiServer server;
  private final KubernetesClient client;
  private final Map<String, UserInfo> tokens = new ConcurrentHashMap<>();
  private final Set<String> grants = ConcurrentHashMap.newKeySet();
  private final List<Object> reviews = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> boundMeanwhileTo = new AtomicReference<>();
  private volatile long statusWritesFailUntilNanos;
  private final AtomicInteger statusWritesRefused = new AtomicInteger();

  public MockCluster() {
    try {
      server = SimulatedApiServer.start("127.0.0.1", 0, Clock.systemUTC(), BandwidthCrd.definition());
    } catch (Exception e) {
      throw new IllegalStateException("the simulated API did not start", e);
    }
    server.addHook(this::reviewOrFail);
    server.recordRequests();
    client = server.newClient();
  }

  public KubernetesClient client() {
    return client;
  }

  /** A new client of the same server, for a process that closes its own. */
  public KubernetesClient newClient() {
    return server.newClient();
  }

  /** Writes a kubeconfig of this server, for a command that takes {@code --kubeconfig FILE}. */
  public Path writeKubeconfig(Path file) throws IOException {
    return server.writeKubeconfig(file, "mock");
  }

  public Node createNode(String name, Map<String, String> labels) {
    return client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .build()).create();
  }

  /**
   * A running pod on {@code node} with a controller owner, or none when {@code owner} is null; with an
   * empty node, a pod waiting for the {@code bandwidth-scheduler} profile, whose extender binds it.
   */
  public Pod createPod(String namespace, String name, String node, String owner, Map<String, String> annotations) {
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).withUid(UUID.randomUUID().toString())
        .withAnnotations(annotations).endMetadata()
        .withNewSpec().withNodeName(node.isEmpty() ? null : node)
        .withSchedulerName(node.isEmpty() ? "bandwidth-scheduler" : null).endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.0.0.1").endStatus();
    if (owner != null) {
      pod.editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(owner)
          .withUid("uid-" + owner).withController(true).endOwnerReference().endMetadata();
    }
    return client.pods().inNamespace(namespace).resource(pod.build()).create();
  }

  public GenericKubernetesResource createBandwidth(String node, Map<String, Object> spec) {
    return client.genericKubernetesResources(BandwidthCrd.CONTEXT).resource(new GenericKubernetesResourceBuilder()
        .withApiVersion("networking.vaclab.org/v1").withKind("Bandwidth")
        .withNewMetadata().withName(node).endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build()).create();
  }

  /**
   * Sets the spec of node's Bandwidth object as {@code kubectl patch --type merge} does: without a resourceVersion,
   * so it never conflicts with the projector writing the status at the same moment.
   */
  public void patchBandwidthSpec(String node, Map<String, Object> spec) {
    client.genericKubernetesResources(BandwidthCrd.CONTEXT).withName(node)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", spec)));
  }

  /**
   * For {@code duration}, every write of a Bandwidth object's status fails, in turn: a 500, a 409,
   * and an answer so late (12 s) that the client gives up first, as an API server in trouble does.
   */
  public void failStatusWrites(Duration duration) {
    statusWritesFailUntilNanos = System.nanoTime() + duration.toNanos();
  }

  /** True while {@link #failStatusWrites} still refuses status writes. */
  public boolean failingStatusWrites() {
    return System.nanoTime() < statusWritesFailUntilNanos;
  }

  /** How many status writes {@link #failStatusWrites} has refused. */
  public int statusWritesRefused() {
    return statusWritesRefused.get();
  }

  /** The requests the server received since the last call, as {@code METHOD path?query}, oldest first. */
  public List<String> takeRequests() {
    return server.takeRequests();
  }

  /**
   * What only tests need of the API: the reviews, failing status writes while {@link #failStatusWrites}
   * lasts, and a pod bound by someone else just before a bind.
   */
  private MockResponse reviewOrFail(RecordedRequest request) {
    String path = request.getPath();
    if (request.getMethod().equals("POST") && path.startsWith(TOKEN_REVIEWS)) {
      return review(reviewToken(Serialization.unmarshal(request.getUtf8Body(), TokenReview.class)));
    }
    if (request.getMethod().equals("POST") && path.startsWith(ACCESS_REVIEWS)) {
      return review(reviewAccess(Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class)));
    }
    if (request.getMethod().equals("PUT") && failingStatusWrites() && BANDWIDTH_STATUS.matcher(path).matches()) {
      return switch (statusWritesRefused.incrementAndGet() % 3) {
        case 0 -> SimulatedApiServer.failure(500, "InternalError", "etcdserver: request timed out");
        case 1 -> SimulatedApiServer.failure(409, "Conflict",
            "the object has been modified; please apply your changes to the latest version and try again");
        default -> SimulatedApiServer.failure(504, "Timeout", "too late").setBodyDelay(Duration.ofSeconds(12));
      };
    }
    Matcher binding = BINDING.matcher(path);
    String meanwhile = request.getMethod().equals("POST") && binding.matches() ? boundMeanwhileTo.getAndSet(null) : null;
    if (meanwhile != null) {
      String pod = binding.group(2) != null ? binding.group(2)
          : Serialization.unmarshal(request.getUtf8Body(), Binding.class).getMetadata().getName();
      client.pods().inNamespace(binding.group(1)).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
          Serialization.asJson(Map.of("spec", Map.of("nodeName", meanwhile))));
    }
    return null;
  }

  private static MockResponse review(Object answered) {
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(answered));
  }

  /** Makes {@code token} authenticate as {@code user} (in {@code groups}) in TokenReviews. */
  public void acceptToken(String token, String user, String... groups) {
    tokens.put(token, new UserInfoBuilder().withUsername(user).withUid("uid-" + user).withGroups(groups).build());
  }

  /**
   * Lets {@code user} have {@code verb} on what {@code target} names in SubjectAccessReviews: a
   * resource as {@code resource.group} (any object of it), or a path such as {@code /metrics}.
   */
  public void grant(String user, String verb, String target) {
    grants.add(user + " " + verb + " " + target);
  }

  /**
   * When the next Binding arrives, its pod is first bound to {@code node} by someone else: what
   * another scheduler did between a binder's read of the pod and its bind.
   */
  public void bindElsewhereBeforeNextBinding(String node) {
    boundMeanwhileTo.set(node);
  }

  /** The TokenReviews and SubjectAccessReviews the server answered, oldest first, as they were asked. */
  public List<Object> reviews() {
    return List.copyOf(reviews);
  }

  private TokenReview reviewToken(TokenReview review) {
    reviews.add(review);
    UserInfo user = tokens.get(review.getSpec().getToken());
    review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(user != null).withUser(user).build());
    return review;
  }

  private SubjectAccessReview reviewAccess(SubjectAccessReview review) {
    reviews.add(review);
    var spec = review.getSpec();
    String target = spec.getResourceAttributes() != null
        ? spec.getResourceAttributes().getVerb() + " " + spec.getResourceAttributes().getResource() + "."
            + spec.getResourceAttributes().getGroup()
        : spec.getNonResourceAttributes().getVerb() + " " + spec.getNonResourceAttributes().getPath();
    boolean allowed = grants.contains(spec.getUser() + " " + target);
    review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
        .withReason(allowed ? "granted" : "no grant").build());
    return review;
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
