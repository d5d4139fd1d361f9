package org.bwledger.bwctl.replay;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bwledger.schemas.event.CapacitySet;
import org.bwledger.schemas.event.CapacitySpec;
import org.bwledger.schemas.event.ClusterEvent;
import org.bwledger.schemas.event.NodeObserved;

/**
 * Replays the same history against other capacities: each overridden node gets its what-if
 * capacity when it first appears, and keeps it through every later edit of its spec, whose other
 * dimensions still apply.
 */
final class WhatIf {

  private final List<CapacityOverride> overrides;
  private final Set<String> seen = new HashSet<>();

  WhatIf(List<CapacityOverride> overrides) {
    this.overrides = List.copyOf(overrides);
  }

  /** Passes events on to {@code next}, capacities rewritten. */
  Consumer<ClusterEvent> before(Consumer<ClusterEvent> next) {
    if (overrides.isEmpty()) {
      return next;
    }
    return event -> {
      Object payload = event.getPayload();
      if (payload instanceof CapacitySet set && overridden(set.getNode())) {
        next.accept(withPayload(event, event.getEventId(), new CapacitySet(set.getNode(),
            applied(set.getNode(), set.getCapacity()))));
        return;
      }
      next.accept(event);
      if (payload instanceof NodeObserved node && overridden(node.getName()) && seen.add(node.getName())) {
        next.accept(withPayload(event, event.getEventId() + "-what-if",
            new CapacitySet(node.getName(), applied(node.getName(), null))));
      }
    };
  }

  private boolean overridden(String node) {
    return overrides.stream().anyMatch(o -> o.node().equals(node));
  }

  private CapacitySpec applied(String node, CapacitySpec spec) {
    CapacitySpec result = spec;
    for (CapacityOverride override : overrides) {
      if (override.node().equals(node)) {
        result = override.applyTo(result);
      }
    }
    return result;
  }

  private static ClusterEvent withPayload(ClusterEvent event, String eventId, Object payload) {
    return new ClusterEvent(eventId, event.getObservedAt(), event.getResourceVersion(), payload);
  }
}
