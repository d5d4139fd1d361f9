package org.bwledger.ledger.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A grouped table answers as one map keyed by group and key does. */
class MemoryGroupedTableTest {

  @Test
  void answersAsAMapOfGroupAndKeyDoesThroughRandomPutsOverwritesAndDeletes() {
    MemoryGroupedTable<Integer> table = new MemoryGroupedTable<>();
    Map<String, Integer> oracle = new HashMap<>();
    Random random = new Random(23);
    for (int step = 0; step < 5_000; step++) {
      String group = "n" + random.nextInt(5);
      String key = "p" + random.nextInt(20);
      Integer value = random.nextInt(3) == 0 ? null : random.nextInt(100);
      table.put(group, key, value);
      if (value == null) {
        oracle.remove(group + "/" + key);
      } else {
        oracle.put(group + "/" + key, value);
      }
      String probe = "n" + random.nextInt(5);
      assertThat(table.get(group, key)).isEqualTo(oracle.get(group + "/" + key));
      assertThat(table.group(probe)).containsExactlyInAnyOrderElementsOf(oracle.entrySet().stream()
          .filter(entry -> entry.getKey().startsWith(probe + "/")).map(Map.Entry::getValue).toList());
    }
  }

  @Test
  void aGroupIsACopyThatLaterWritesLeaveAlone() {
    MemoryGroupedTable<Integer> table = new MemoryGroupedTable<>();
    table.put("n1", "a", 1);
    var before = table.group("n1");
    table.put("n1", "b", 2);
    table.put("n1", "a", null);

    assertThat(before).containsExactly(1);
    assertThat(table.group("n1")).containsExactly(2);
    assertThat(table.group("n2")).isEmpty();
  }
}
