package org.bwledger.bwctl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import org.bwledger.kube.events.EventTranslator;
import org.junit.jupiter.api.Test;

/** What replay builds of a watched object translates as Jackson's binding into fabric8's model does. */
class WatchedObjectsTest {

  private static final Instant AT = Instant.parse("2026-11-20T09:00:00Z");

  private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final EventTranslator translator = new EventTranslator(
      Set.of("kubernetes.io/egress-bandwidth", "kubernetes.io/ingress-bandwidth"));

  @Test
  void theSampleTraceTranslatesAsTheBindingDoes() throws IOException {
    int compared = 0;
    for (JsonNode event : json.readerFor(JsonNode.class).<JsonNode>readValues(
        Files.readString(Path.of("../examples/lab-trace.json"))).readAll()) {
      JsonNode object = event.get("object");
      switch (object.path("kind").asText()) {
        case "Pod" -> assertTranslatesAsBound(object);
        case "Node" -> assertNodeTranslatesAsBound(object);
        default -> {
          continue;
        }
      }
      compared++;
    }
    assertThat(compared).isGreaterThan(10);
  }

  /** Pods with each field present, absent, null or of another scalar type, drawn at random. */
  @Test
  void generatedPodsTranslateAsTheBindingDoes() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      assertTranslatesAsBound(randomPod(random));
    }
  }

  @Test
  void aFieldOfTheWrongShapeIsNamed() {
    assertThatThrownBy(() -> WatchedObjects.pod(json.createObjectNode().set("spec", json.createArrayNode())))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("spec is not an object");
    ObjectNode pod = json.createObjectNode();
    pod.putObject("metadata").putObject("annotations").putArray("kubernetes.io/egress-bandwidth");
    assertThatThrownBy(() -> WatchedObjects.pod(pod))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("metadata.annotations is not text");
    ObjectNode owned = json.createObjectNode();
    owned.putObject("metadata").put("ownerReferences", "rs-1");
    assertThatThrownBy(() -> WatchedObjects.pod(owned))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("metadata.ownerReferences is not an array");
    // The binding refuses them too: what replay skips as invalid, it skipped before.
    for (JsonNode refused : new JsonNode[] {json.createObjectNode().set("spec", json.createArrayNode()), pod, owned}) {
      assertThatThrownBy(() -> json.treeToValue(refused, Pod.class)).isNotNull();
    }
  }

  private void assertTranslatesAsBound(JsonNode object) {
    try {
      Pod bound = json.treeToValue(object, Pod.class);
      Pod built = WatchedObjects.pod(object);
      assertThat(translator.podObserved(built, "e", AT)).as("%s", object).isEqualTo(translator.podObserved(bound, "e", AT));
      assertThat(translator.podGone(built, "e", AT)).as("%s", object).isEqualTo(translator.podGone(bound, "e", AT));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void assertNodeTranslatesAsBound(JsonNode object) {
    try {
      Node bound = json.treeToValue(object, Node.class);
      Node built = WatchedObjects.node(object);
      assertThat(translator.nodeObserved(built, "e", AT)).isEqualTo(translator.nodeObserved(bound, "e", AT));
      assertThat(translator.nodeGone(built, "e", AT)).isEqualTo(translator.nodeGone(bound, "e", AT));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private ObjectNode randomPod(Random random) {
    ObjectNode pod = json.createObjectNode().put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata");
    // Replay skips a pod without a uid before it translates it.
    if (random.nextBoolean()) {
      metadata.put("uid", "uid-" + random.nextInt(100));
    } else {
      metadata.put("uid", random.nextInt(100));
    }
    scalar(random, metadata, "name", "p" + random.nextInt(100));
    scalar(random, metadata, "namespace", "lab");
    scalar(random, metadata, "resourceVersion", String.valueOf(random.nextInt(1000)));
    scalar(random, metadata, "deletionTimestamp", AT.toString());
    if (random.nextBoolean()) {
      ObjectNode annotations = metadata.putObject("annotations");
      scalar(random, annotations, "kubernetes.io/egress-bandwidth", random.nextInt(500) + "M");
      scalar(random, annotations, "kubernetes.io/ingress-bandwidth", random.nextInt(500) + "M");
      scalar(random, annotations, "kubectl.kubernetes.io/restartedAt", AT.toString());
    }
    if (random.nextBoolean()) {
      ArrayNode owners = metadata.putArray("ownerReferences");
      for (int i = random.nextInt(3); i >= 0; i--) {
        ObjectNode owner = owners.addObject();
        // Always there on a real cluster; where it is not, the binding makes up "OwnerReference".
        owner.put("kind", random.nextBoolean() ? "ReplicaSet" : "Job");
        scalar(random, owner, "name", "owner-" + i);
        scalar(random, owner, "uid", "owner-uid-" + i);
        switch (random.nextInt(4)) {
          case 0 -> owner.put("controller", true);
          case 1 -> owner.put("controller", false);
          case 2 -> owner.putNull("controller");
          default -> { }
        }
      }
    }
    if (random.nextInt(4) > 0) {
      scalar(random, pod.putObject("spec").put("restartPolicy", "Always"), "nodeName", "n" + random.nextInt(5));
    }
    if (random.nextInt(4) > 0) {
      ObjectNode status = pod.putObject("status");
      scalar(random, status, "phase", random.nextBoolean() ? "Running" : "Pending");
      scalar(random, status, "podIP", "10.0.0." + random.nextInt(255));
    }
    return pod;
  }

  /** {@code field} as text, a number, null, or absent. */
  private static void scalar(Random random, ObjectNode parent, String field, String text) {
    switch (random.nextInt(5)) {
      case 0 -> parent.putNull(field);
      case 1 -> parent.put(field, random.nextInt(100));
      case 2 -> { }
      default -> parent.put(field, text);
    }
  }
}
