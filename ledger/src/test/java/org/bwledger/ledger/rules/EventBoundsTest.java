package org.bwledger.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bwledger.ledger.testing.EventFactory;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.InterfaceCounters;
import org.bwledger.schemas.event.NodeObserved;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bound an event keeps: at the bound it enters the fold, one step beyond it is turned away with the reason. */
class EventBoundsTest {

  private static final EventFactory EVENTS = new EventFactory();

  static Stream<Arguments> bounds() {
    int token = EventBounds.TOKEN_LENGTH;
    int name = EventBounds.NAME_LENGTH;
    int entries = EventBounds.MAP_ENTRIES;
    long mbps = EventBounds.MAX_MBPS;
    int chunks = EventBounds.RESYNC_CHUNKS;
    int chunkEntries = EventBounds.RESYNC_CHUNK_ENTRIES;
    String longKey = "k".repeat(100);
    return Stream.of(
        bound("observed at the earliest time", n -> at(EventBounds.EARLIEST.minusMillis(n)), 0, 1,
            "observedAt 1969-12-31T23:59:59.999Z is outside [1970-01-01T00:00:00Z, 9999-12-31T23:59:59.999Z]"),
        bound("observed at the latest time", n -> at(EventBounds.LATEST.plusMillis(n)), 0, 1,
            "observedAt +10000-01-01T00:00:00Z is outside [1970-01-01T00:00:00Z, 9999-12-31T23:59:59.999Z]"),
        bound("an event id", n -> withId(x(n)), token, token + 1, "eventId has 1025 characters, more than 1024"),
        bound("a resource version", n -> withVersion(x(n)), token, token + 1,
            "resourceVersion has 1025 characters, more than 1024"),
        bound("a pod uid", n -> EVENTS.pod(x(n)).observed(), 1, 0, "uid is empty"),
        bound("a pod uid", n -> EVENTS.pod(x(n)).name("p").observed(), token, token + 1,
            "uid has 1025 characters, more than 1024"),
        bound("a namespace", n -> EVENTS.pod("p").namespace(x(n)).observed(), 63, 64,
            "namespace has 64 characters, more than 63"),
        bound("a pod name", n -> EVENTS.pod("p").name(x(n)).observed(), name, name + 1,
            "name has 254 characters, more than 253"),
        bound("a pod's node", n -> EVENTS.pod("p").on(x(n)).observed(), name, name + 1,
            "nodeName has 254 characters, more than 253"),
        bound("a pod ip", n -> EVENTS.pod("p").ip(x(n)).observed(), token, token + 1,
            "podIp has 1025 characters, more than 1024"),
        bound("a gone pod's uid", n -> EVENTS.podGone(x(n)), 1, 0, "uid is empty"),
        bound("annotations", EventBoundsTest::annotated, entries, entries + 1,
            "bandwidthAnnotations has 65 entries, more than 64"),
        bound("an annotation key", n -> EVENTS.pod("p").annotation(x(n), "1M").observed(), name, name + 1,
            "an annotation key has 254 characters, more than 253"),
        bound("an annotation value", n -> EVENTS.pod("p").annotation("a", x(n)).observed(), token, token + 1,
            "annotation a has 1025 characters, more than 1024"),
        bound("a controller's uid", n -> EVENTS.pod("p").ownedBy(x(n)).observed(), 1, 0, "controller.uid is empty"),
        bound("an assumption's node", n -> EVENTS.pod("p").on(x(n)).assumed(Duration.ofMinutes(1)), 1, 0,
            "nodeName is empty"),
        bound("an assumption's deadline", n -> EVENTS.pod("p").on("n").assumed(Duration.ofDays(3_000_000L * n)), 0, 1,
            "expiresAt"),
        bound("a node name", n -> EVENTS.nodeObserved(x(n)), name, name + 1, "name has 254 characters, more than 253"),
        bound("a node name", n -> EVENTS.nodeObserved(x(n)), 1, 0, "name is empty"),
        bound("a gone node's name", n -> EVENTS.nodeGone(x(n)), 1, 0, "name is empty"),
        bound("capacity hints", EventBoundsTest::hinted, entries, entries + 1,
            "capacityHints has 65 entries, more than 64"),
        bound("a capacity", n -> capacity(n - 1), 1, 0, "capacity.networkDlMbps -1 is outside [0, 1000000000] Mbit/s"),
        bound("a capacity", EventBoundsTest::capacity, mbps, mbps + 1,
            "capacity.networkDlMbps 1000000001 is outside [0, 1000000000] Mbit/s"),
        bound("a capacity's node", n -> EVENTS.capacitySet(x(n), null), 1, 0, "node is empty"),
        bound("a resync chunk index", n -> resync(n - 1, List.of(), List.of()), 1, 0,
            "resync chunk -1 is outside [0, 10000)"),
        bound("a resync chunk index", n -> resync(n, List.of(), List.of()), chunks - 1, chunks,
            "resync chunk 10000 is outside [0, 10000)"),
        bound("names in a resync chunk", n -> resync(0, names(n - 1, 1), List.of("n")), chunkEntries, chunkEntries + 1,
            "resync chunk names 100001 pods and nodes, more than 100000"),
        bound("a pod uid in a resync", n -> resync(0, List.of("p", x(n)), List.of()), token, token + 1,
            "one of podUids has 1025 characters, more than 1024"),
        bound("a node name in a resync", n -> resync(0, List.of(), List.of("n", x(n))), name, name + 1,
            "one of nodeNames has 254 characters, more than 253"),
        bound("a sampled node", n -> sampled(x(n), List.of()), 1, 0, "node is empty"),
        bound("a sample's time", n -> EVENTS.trafficSampled("n", EventBounds.LATEST.plusMillis(n), List.of()), 0, 1,
            "sampledAt +10000-01-01T00:00:00Z is outside"),
        bound("interfaces in a sample", n -> sampled("n", IntStream.range(0, n.intValue())
            .mapToObj(i -> new InterfaceCounters("eth" + i, 0L, 0L)).toList()), EventBounds.INTERFACES,
            EventBounds.INTERFACES + 1, "traffic sample counts 257 interfaces, more than 256"),
        bound("an interface name", n -> sampled("n", List.of(new InterfaceCounters(x(n), 0L, 0L))), 1, 0,
            "an interface name is empty"),
        bound("a transmit counter", n -> sampled("n", List.of(new InterfaceCounters("eth0", n - 1, 0L))), 1, 0,
            "interface eth0 has a negative byte counter"),
        bound("a receive counter", n -> sampled("n", List.of(new InterfaceCounters("eth0", 0L, n - 1))), 1, 0,
            "interface eth0 has a negative byte counter"));
  }

  private static ClusterEvent sampled(String node, List<InterfaceCounters> interfaces) {
    return EVENTS.trafficSampled(node, Instant.parse("2026-12-01T10:00:00Z"), interfaces);
  }

  @ParameterizedTest(name = "{0}: {1} is kept, {2} is turned away")
  @MethodSource("bounds")
  void atTheBoundAnEventEntersOneStepBeyondItIsTurnedAwayWithTheReason(String what, long within, long beyond,
      Function<Long, ClusterEvent> event, String reason) {
    assertThat(EventBounds.violation(event.apply(within))).as("at the bound").isEmpty();
    assertThat(EventBounds.violation(event.apply(beyond))).as("beyond it").hasValueSatisfying(
        why -> assertThat(why).startsWith(reason));
  }

  @ParameterizedTest(name = "a key of {0} characters is quoted as {1} and an ellipsis: {2}")
  @CsvSource({"64, 64, false", "65, 64, true"})
  void aReasonQuotesTheFirst64CharactersOfAnAnnotationKey(int length, int quoted, boolean cut) {
    ClusterEvent tooLong = EVENTS.pod("p").annotation("k".repeat(length), x(EventBounds.TOKEN_LENGTH + 1)).observed();

    assertThat(EventBounds.violation(tooLong)).hasValue(
        "annotation " + "k".repeat(quoted) + (cut ? "…" : "") + " has 1025 characters, more than 1024");
  }

  @Test
  void anEventOfAKindTheFoldDoesNotKnowIsTurnedAway() {
    ClusterEvent unknown = EVENTS.nodeGone("n");
    unknown.setPayload("a string");
    ClusterEvent empty = EVENTS.nodeGone("n");
    empty.setPayload(null);

    assertThat(EventBounds.violation(unknown)).hasValue("unknown payload String");
    assertThat(EventBounds.violation(empty)).hasValue("unknown payload null");
  }

  private static Arguments bound(String what, Function<Long, ClusterEvent> event, long within, long beyond,
      String reason) {
    return Arguments.of(what, within, beyond, event, reason);
  }

  private static String x(long length) {
    return "x".repeat(Math.toIntExact(length));
  }

  private static ClusterEvent at(Instant time) {
    ClusterEvent event = EVENTS.nodeObserved("n");
    event.setObservedAt(time);
    return event;
  }

  private static ClusterEvent withId(String id) {
    ClusterEvent event = EVENTS.nodeObserved("n");
    event.setEventId(id);
    return event;
  }

  private static ClusterEvent withVersion(String version) {
    ClusterEvent event = EVENTS.nodeObserved("n");
    event.setResourceVersion(version);
    return event;
  }

  private static ClusterEvent annotated(long count) {
    EventFactory.PodBuilder pod = EVENTS.pod("p");
    IntStream.range(0, Math.toIntExact(count)).forEach(i -> pod.annotation("a" + i, "1M"));
    return pod.observed();
  }

  private static ClusterEvent hinted(long count) {
    ClusterEvent event = EVENTS.nodeObserved("n");
    Map<String, String> hints = new TreeMap<>();
    IntStream.range(0, Math.toIntExact(count)).forEach(i -> hints.put("h" + i, "1"));
    ((NodeObserved) event.getPayload()).setCapacityHints(Collections.unmodifiableMap(hints));
    return event;
  }

  private static ClusterEvent capacity(long networkDl) {
    return EVENTS.capacitySet("n", new CapacitySpec(0L, 0L, 0L, networkDl));
  }

  private static ClusterEvent resync(long index, List<String> pods, List<String> nodes) {
    return EVENTS.resyncChunk("r", Math.toIntExact(index), false, EVENTS.now(), pods, nodes);
  }

  private static List<String> names(long count, int offset) {
    return IntStream.range(offset, offset + Math.toIntExact(count)).mapToObj(i -> "p" + i).toList();
  }
}
