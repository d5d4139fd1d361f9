package org.bwledger.projector.rest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RenderedNodesTest {

  /** The store the renderings read: a state per node, and how often each was rendered. */
  private final Map<String, String> store = new HashMap<>();
  private final Map<String, Integer> renderings = new HashMap<>();
  private final RenderedNodes rendered = new RenderedNodes(new AtomicLong(), 3);

  @Test
  void aNodeIsRenderedOnceAStateHoweverOftenItIsRead() {
    store.put("a", "a1");
    store.put("b", "b1");

    assertThat(read("a")).isEqualTo("a1");
    assertThat(read("a")).isEqualTo("a1");
    assertThat(read("b")).isEqualTo("b1");
    assertThat(renderings).containsEntry("a", 1).containsEntry("b", 1);

    change("a", "a2");
    assertThat(read("a")).isEqualTo("a2");
    assertThat(read("a")).isEqualTo("a2");
    assertThat(read("b")).isEqualTo("b1");
    assertThat(renderings).containsEntry("a", 2).containsEntry("b", 1);
  }

  @Test
  void aStateRenderedWhileItWasReplacedIsServedOnceAndNotKept() {
    store.put("a", "a1");
    String served = asString(rendered.get("a", () -> {
      byte[] old = render("a").get();
      change("a", "a2");
      return old;
    }));

    assertThat(served).isEqualTo("a1");
    assertThat(read("a")).isEqualTo("a2");
    assertThat(read("a")).isEqualTo("a2");
  }

  @Test
  void aNodeGoneIsAskedOfTheStoreAgain() {
    store.put("a", "a1");
    read("a");
    store.remove("a");
    rendered.changed("a");

    assertThat(read("a")).isEqualTo("none");
  }

  @Test
  void atMostTheCapacityIsKeptTheLeastRecentlyReadEvicted() {
    for (String node : new String[] {"a", "b", "c", "d"}) {
      change(node, node + "1");
      read(node);
    }
    assertThat(rendered.size()).isEqualTo(3);
    read("b");
    assertThat(renderings).containsEntry("b", 1);

    read("a");
    assertThat(rendered.size()).isEqualTo(3);
    assertThat(renderings).containsEntry("a", 2);
    read("b");
    read("d");
    read("a");
    assertThat(renderings).containsEntry("a", 2).containsEntry("b", 1).containsEntry("d", 1);
    read("c");
    assertThat(renderings).containsEntry("c", 2);
  }

  @Test
  void evictingAChangeLetsNoOlderRenderingBackIn() {
    store.put("a", "a1");
    String served = asString(rendered.get("a", () -> {
      byte[] old = render("a").get();
      change("a", "a2");
      for (String node : new String[] {"b", "c", "d"}) {
        change(node, node + "2");
      }
      return old;
    }));

    assertThat(served).isEqualTo("a1");
    assertThat(read("a")).isEqualTo("a2");
  }

  private void change(String node, String state) {
    store.put(node, state);
    rendered.changed(node);
  }

  private String read(String node) {
    return asString(rendered.get(node, render(node)));
  }

  private Supplier<byte[]> render(String node) {
    return () -> {
      renderings.merge(node, 1, Integer::sum);
      return store.getOrDefault(node, "none").getBytes(UTF_8);
    };
  }

  private static String asString(byte[] body) {
    return new String(body, UTF_8);
  }
}
