package org.bwledger.projector.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.bwledger.runtime.auth.Access;
import org.bwledger.runtime.auth.Guard;
import org.bwledger.runtime.http.Call;
import org.bwledger.runtime.http.Endpoint;
import org.bwledger.runtime.http.Reply;
import org.bwledger.runtime.http.Router;

/**
 * The admission webhooks, as the API server calls them: an {@code admission.k8s.io/v1}
 * {@code AdmissionReview} in, the same kind out with the request's uid, allowed or refused with the
 * reason, and a JSON Patch for the mutating one. A body that is not such a review is a 400, which the
 * API server handles by its webhook's {@code failurePolicy}; a review of anything but a pod is
 * allowed untouched.
 */
public final class AdmissionEndpoint {

  /** Where each webhook is served. */
  public static final String VALIDATE = "/admission/validate";
  public static final String FITS = "/admission/fits";
  public static final String TOLERATE = "/admission/tolerate";

  private final PodAdmission admission;
  private final ObjectMapper json;
  private final MeterRegistry metrics;

  public AdmissionEndpoint(PodAdmission admission, ObjectMapper json, MeterRegistry metrics) {
    this.admission = admission;
    this.json = json;
    this.metrics = metrics;
  }

  /**
   * The webhooks' routes. They check no caller: the listener serves TLS only, the API server is the
   * caller, and what a review can obtain is a decision about the pod it sent.
   */
  public Router router() {
    return new Router(this::error, Guard.NONE)
        .post(VALIDATE, Access.OPEN, review("validate", admission::validate))
        .post(FITS, Access.OPEN, review("fits", admission::fits))
        .post(TOLERATE, Access.OPEN, review("tolerate", admission::tolerate));
  }

  private Endpoint review(String webhook, Function<Pod, PodAdmission.Decision> decide) {
    Counter allowed = counter(webhook, "allowed");
    Counter refused = counter(webhook, "refused");
    Counter patched = counter(webhook, "patched");
    Counter unreadable = counter(webhook, "unreadable");
    return call -> {
      JsonNode request = request(call);
      if (request == null) {
        unreadable.increment();
        return error(400, "the body is not an admission.k8s.io/v1 AdmissionReview with a request and its uid");
      }
      JsonNode object = request.path("object");
      PodAdmission.Decision decision = PodAdmission.Decision.ALLOWED;
      if ("Pod".equals(request.path("kind").path("kind").asText()) && object.isObject()) {
        Pod pod;
        try {
          pod = Serialization.unmarshal(object.toString(), Pod.class);
        } catch (RuntimeException e) {
          unreadable.increment();
          return error(400, "the review's object is not a pod: " + e.getMessage());
        }
        decision = decide.apply(pod);
      }
      (decision.allowed() ? decision.patch().isEmpty() ? allowed : patched : refused).increment();
      return Reply.json(200, json.writeValueAsBytes(response(request.path("uid").asText(), decision)));
    };
  }

  /** The review's request, or null when the body is not a v1 AdmissionReview with a request and its uid. */
  private JsonNode request(Call call) {
    JsonNode review;
    try {
      review = json.readTree(call.body());
    } catch (IOException e) {
      return null;
    }
    JsonNode request = review == null ? null : review.path("request");
    boolean readable = review != null && "admission.k8s.io/v1".equals(review.path("apiVersion").asText())
        && "AdmissionReview".equals(review.path("kind").asText()) && request.isObject()
        && request.path("uid").isTextual() && !request.path("uid").asText().isEmpty();
    return readable ? request : null;
  }

  private ObjectNode response(String uid, PodAdmission.Decision decision) throws JsonProcessingException {
    ObjectNode review = json.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode response = review.putObject("response").put("uid", uid).put("allowed", decision.allowed());
    if (!decision.allowed()) {
      response.putObject("status").put("code", 403).put("reason", "Forbidden").put("message", decision.reason());
    }
    if (!decision.patch().isEmpty()) {
      response.put("patchType", "JSONPatch")
          .put("patch", Base64.getEncoder().encodeToString(json.writeValueAsBytes(decision.patch())));
    }
    return review;
  }

  private Counter counter(String webhook, String result) {
    return Counter.builder("bwledger.admission.reviews").description("Admission reviews answered, by webhook and result")
        .tag("webhook", webhook).tag("result", result).register(metrics);
  }

  private Reply error(int status, String message) {
    try {
      return Reply.json(status, json.writeValueAsBytes(Map.of("status", status, "error", message)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
