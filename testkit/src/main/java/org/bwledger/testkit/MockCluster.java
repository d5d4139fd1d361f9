package org.bwledger.testkit;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bwledger.kube.crd.BandwidthCrd;
import org.bwledger.kube.crd.BandwidthObjects;

/**
 * The Kubernetes API of the tests: fabric8's mock server in CRUD mode (DESIGN §7), which knows the
 * Bandwidth resource with its status subresource, binds pods as an API server does, and answers
 * TokenReviews and SubjectAccessReviews from the tokens and grants a test gives it; and builders for
 * the objects tests create.
 */
public final class MockCluster implements AutoCloseable {

  /** The mock server logs every request through java.util.logging; keep only its warnings. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
  private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Map<String, UserInfo> tokens = new ConcurrentHashMap<>();
  private final Set<String> grants = ConcurrentHashMap.newKeySet();
  private final List<Object> reviews = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> boundMeanwhileTo = new AtomicReference<>();
  private volatile long statusWritesFailUntilNanos;
  private final AtomicInteger statusWritesRefused = new AtomicInteger();

  public MockCluster() {
    // The mock serves Bandwidth objects as the shipped definition says: cluster-scoped, with status.
    CustomResourceDefinitionContext bandwidths = CustomResourceDefinitionContext.fromCrd(BandwidthCrd.definition());
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new ApiServerDispatcher(List.of(bandwidths)), false);
    server.init();
    client = server.createClient();
  }

  public KubernetesClient client() {
    return client;
  }

  /** A new client of the same server, for a process that closes its own. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** Writes a kubeconfig of this server, for a command that takes {@code --kubeconfig FILE}. */
  public Path writeKubeconfig(Path file) throws IOException {
    return Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mock",
        "  cluster:",
        "    server: " + client.getConfiguration().getMasterUrl(),
        "contexts:",
        "- name: mock",
        "  context: {cluster: mock, user: mock}",
        "current-context: mock",
        "users:",
        "- name: mock",
        "  user: {}",
        ""));
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

  /** The requests the server received since the last call, as {@code METHOD path}, oldest first. */
  public List<String> takeRequests() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (var request = server.takeRequest(0, TimeUnit.SECONDS); request != null;
        request = server.takeRequest(0, TimeUnit.SECONDS)) {
      requests.add(request.getMethod() + " " + request.getPath());
    }
    return requests;
  }

  /**
   * The CRUD dispatcher, and what it lacks: a {@code Binding} (to {@code pods/{name}/binding} or to
   * the namespace's {@code bindings}), which the CRUD mock would store as an object of its own, sets
   * the pod's {@code spec.nodeName} on an API server, refusing a stale uid or a pod already bound.
   */
  private final class ApiServerDispatcher extends KubernetesCrudDispatcher {
    private static final Pattern BINDING =
        Pattern.compile("/api/v1/namespaces/([^/]+)/(?:pods/([^/]+)/binding|bindings)");

    private static final Pattern BANDWIDTH_STATUS =
        Pattern.compile("/apis/" + BandwidthObjects.GROUP + "/v1/bandwidths/[^/]+/status");

    ApiServerDispatcher(List<CustomResourceDefinitionContext> resources) {
      super(resources);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      if (failingStatusWrites() && BANDWIDTH_STATUS.matcher(request.getPath()).matches()) {
        return switch (statusWritesRefused.incrementAndGet() % 3) {
          case 0 -> failure(500, "InternalError", "etcdserver: request timed out");
          case 1 -> failure(409, "Conflict", "the object has been modified; please apply your changes to the latest "
              + "version and try again");
          default -> failure(504, "Timeout", "too late").setBodyDelay(Duration.ofSeconds(12));
        };
      }
      return super.handleUpdate(request);
    }


    @Override
    public MockResponse handleCreate(RecordedRequest request) {
      if (request.getPath().startsWith(TOKEN_REVIEWS)) {
        return review(reviewToken(Serialization.unmarshal(request.getUtf8Body(), TokenReview.class)));
      }
      if (request.getPath().startsWith(ACCESS_REVIEWS)) {
        return review(reviewAccess(Serialization.unmarshal(request.getUtf8Body(), SubjectAccessReview.class)));
      }
      Matcher binding = BINDING.matcher(request.getPath());
      if (!binding.matches()) {
        return super.handleCreate(request);
      }
      Binding bind = Serialization.unmarshal(request.getUtf8Body(), Binding.class);
      String podPath = "/api/v1/namespaces/" + binding.group(1) + "/pods/"
          + (binding.group(2) != null ? binding.group(2) : bind.getMetadata().getName());
      String meanwhile = boundMeanwhileTo.getAndSet(null);
      if (meanwhile != null) {
        setNodeName(podPath, meanwhile);
      }
      MockResponse current = handleGet(podPath);
      if (current.code() != 200) {
        return current;
      }
      Pod pod = Serialization.unmarshal(current.getBody().readUtf8(), Pod.class);
      String uid = bind.getMetadata().getUid();
      if (uid != null && !uid.equals(pod.getMetadata().getUid())) {
        return conflict("Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
            + pod.getMetadata().getUid());
      }
      if (pod.getSpec() != null && pod.getSpec().getNodeName() != null) {
        return conflict("pod " + pod.getMetadata().getName() + " is already assigned to node \""
            + pod.getSpec().getNodeName() + "\"");
      }
      MockResponse patched = setNodeName(podPath, bind.getTarget().getName());
      return patched.code() != 200 ? patched : new MockResponse().setResponseCode(201)
          .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\",\"code\":201}");
    }

    private MockResponse setNodeName(String podPath, String node) {
      String patch = "{\"spec\":{\"nodeName\":\"" + node + "\"}}";
      return handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, podPath,
          Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
          new Buffer(patch.getBytes(StandardCharsets.UTF_8))));
    }

    private static MockResponse review(Object answered) {
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(answered));
    }

    private static MockResponse conflict(String message) {
      return failure(409, "Conflict", message);
    }

    private static MockResponse failure(int code, String reason, String message) {
      return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(new StatusBuilder()
          .withStatus("Failure").withReason(reason).withCode(code).withMessage(message).build()));
    }
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
    server.destroy();
  }
}
