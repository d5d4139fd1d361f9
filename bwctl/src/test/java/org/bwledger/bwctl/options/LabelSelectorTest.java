package org.bwledger.bwctl.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label selectors as kubectl -l takes them, matched as Kubernetes matches them. */
class LabelSelectorTest {

  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "example.com/zone", "a");

  @Test
  void equalityRequirements() {
    assertThat(LabelSelector.parse("app=web").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("app==web").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("app=db").matches(WEB)).isFalse();
    assertThat(LabelSelector.parse("app!=db").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("app!=web").matches(WEB)).isFalse();
    assertThat(LabelSelector.parse("release!=canary").matches(WEB)).as("!= matches a missing label").isTrue();
  }

  @Test
  void setRequirementsWithPrefixedKeys() {
    assertThat(LabelSelector.parse("example.com/zone in (a, b)").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("example.com/zone in (b,c)").matches(WEB)).isFalse();
    assertThat(LabelSelector.parse("tier notin (back)").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("tier notin (front,back)").matches(WEB)).isFalse();
    assertThat(LabelSelector.parse("release notin (canary)").matches(WEB)).as("notin matches a missing label").isTrue();
  }

  @Test
  void existenceAndAllRequirementsTogether() {
    assertThat(LabelSelector.parse("app").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("!app").matches(WEB)).isFalse();
    assertThat(LabelSelector.parse("!release").matches(null)).isTrue();
    assertThat(LabelSelector.parse("app=web,tier in (front,back),!release").matches(WEB)).isTrue();
    assertThat(LabelSelector.parse("app=web,tier in (back),!release").matches(WEB)).isFalse();
    assertThat(LabelSelector.parse("").matches(WEB)).as("the empty selector selects everything").isTrue();
  }

  @Test
  void whatIsNotARequirementIsRefusedByName() {
    assertThatThrownBy(() -> LabelSelector.parse("app=web,tier>3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("'tier>3' is not a label requirement");
    assertThatThrownBy(() -> LabelSelector.parse("zone in (a,b c)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("'b c' in 'zone in (a,b c)'");
  }
}
