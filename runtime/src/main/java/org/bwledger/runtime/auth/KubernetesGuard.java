package org.bwledger.runtime.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bwledger.runtime.http.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates and authorises callers as Kubernetes components do (kube-rbac-proxy,
 * controller-runtime's secure metrics): the bearer token is checked with a TokenReview, and the
 * user's right to the route's {@link Access} with a SubjectAccessReview. Both answers are cached
 * for a short time, so a scraper or a dashboard costs the API server a review now and then, not one
 * per call. A token is cached by its hash, never as itself.
 */
public final class KubernetesGuard implements Guard {

  private static final Logger log = LoggerFactory.getLogger(KubernetesGuard.class);
  private static final long CACHED_AT_MOST = 10_000;

  /** A question a SubjectAccessReview answers: may this user have this access (to this object)? */
  private record Question(UserInfo user, Access access, String name) {}

  private final KubernetesClient client;
  private final Cache<String, Optional<UserInfo>> users;
  private final Cache<Question, Decision> decisions;

  /** @param cacheTtl how long a review's answer stands */
  public KubernetesGuard(KubernetesClient client, Duration cacheTtl) {
    this.client = client;
    this.users = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(CACHED_AT_MOST).build();
    this.decisions = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(CACHED_AT_MOST).build();
  }

  @Override
  public boolean authenticates() {
    return true;
  }

  @Override
  public Decision check(Call call, Access access) {
    Optional<String> token = call.header("Authorization")
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(value -> value.substring(7).trim())
        .filter(value -> !value.isEmpty());
    if (token.isEmpty()) {
      return new Decision(401, "a bearer token is needed (Authorization: Bearer …)");
    }
    try {
      Optional<UserInfo> user = users.get(hash(token.get()), key -> authenticate(token.get()));
      if (user.isEmpty()) {
        return new Decision(401, "the bearer token is not valid");
      }
      String name = access instanceof Access.OnResource onResource && onResource.nameParameter() != null
          ? call.pathParameter(onResource.nameParameter())
          : null;
      return decisions.get(new Question(user.get(), access, name), this::authorize);
    } catch (KubernetesClientException e) {
      // Not cached: the next call asks again.
      log.warn("Could not review a caller's credentials with the API server: {} {}", e.getCode(), e.getStatus() == null
          ? e.getClass().getSimpleName() : e.getStatus().getReason());
      return new Decision(503, "credentials cannot be checked right now; try again");
    }
  }

  private Optional<UserInfo> authenticate(String token) {
    TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
        .withNewSpec().withToken(token).endSpec().build());
    boolean authenticated = review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAuthenticated());
    return authenticated ? Optional.of(review.getStatus().getUser()) : Optional.empty();
  }

  private Decision authorize(Question question) {
    UserInfo user = question.user();
    SubjectAccessReviewSpecBuilder spec = new SubjectAccessReviewSpecBuilder()
        .withUser(user.getUsername())
        .withUid(user.getUid())
        .withGroups(user.getGroups() == null ? List.of() : user.getGroups());
    if (user.getExtra() != null) {
      spec.withExtra(user.getExtra());
    }
    String asked;
    if (question.access() instanceof Access.OnResource onResource) {
      spec.withNewResourceAttributes()
          .withVerb(onResource.verb()).withGroup(onResource.group()).withResource(onResource.resource())
          .withName(question.name())
          .endResourceAttributes();
      asked = onResource.verb() + " " + onResource.resource() + "." + onResource.group()
          + (question.name() == null ? "" : " " + question.name());
    } else if (question.access() instanceof Access.OnPath onPath) {
      spec.withNewNonResourceAttributes().withVerb(onPath.verb()).withPath(onPath.path()).endNonResourceAttributes();
      asked = onPath.verb() + " " + onPath.path();
    } else {
      throw new IllegalArgumentException(question.access() + " is not decided by a SubjectAccessReview");
    }
    SubjectAccessReview review = client.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withSpec(spec.build()).build());
    if (review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed())) {
      return Decision.ALLOWED;
    }
    log.debug("Denied {} to {}", asked, user.getUsername());
    return new Decision(403, "user \"" + user.getUsername() + "\" may not " + asked);
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
