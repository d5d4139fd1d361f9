package org.bwledger.ledger.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of table answers as the live ledger's Kafka Streams stores do. */
class MemoryTableTest {

  static Stream<Supplier<MemoryTable<Integer>>> kinds() {
    return Stream.of(MemoryTable::indexed, MemoryTable::unindexed);
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void scansByPrefixAndUpToAKeyIncludingItInKeyOrder(Supplier<MemoryTable<Integer>> kind) {
    MemoryTable<Integer> table = kind.get();
    table.put("b/2", 2);
    table.put("a/1", 1);
    table.put("b/1", 3);
    table.put("c", 4);

    assertThat(table.scan("b/")).containsExactly(entry("b/1", 3), entry("b/2", 2));
    assertThat(table.scan("")).hasSize(4);
    assertThat(table.upTo("b/1")).containsExactly(entry("a/1", 1), entry("b/1", 3));
    assertThat(table.upTo("a/1")).containsExactly(entry("a/1", 1));
    assertThat(table.upTo("a")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aNullValueDeletes(Supplier<MemoryTable<Integer>> kind) {
    MemoryTable<Integer> table = kind.get();
    table.put("a", 1);
    table.put("a", null);
    table.put("b", null);

    assertThat(table.get("a")).isNull();
    assertThat(table.scan("")).isEmpty();
    assertThat(table.upTo("z")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void answersAsASortedMapDoesThroughRandomPutsOverwritesAndDeletes(Supplier<MemoryTable<Integer>> kind) {
    MemoryTable<Integer> table = kind.get();
    TreeMap<String, Integer> oracle = new TreeMap<>();
    Random random = new Random(17);
    for (int step = 0; step < 5_000; step++) {
      String key = "n" + random.nextInt(5) + "/" + random.nextInt(20);
      Integer value = random.nextInt(4) == 0 ? null : random.nextInt(100);
      table.put(key, value);
      if (value == null) {
        oracle.remove(key);
      } else {
        oracle.put(key, value);
      }
      String probe = "n" + random.nextInt(5) + "/";
      String last = probe + random.nextInt(20);
      assertThat(table.get(key)).isEqualTo(oracle.get(key));
      assertThat(table.scan(probe)).containsExactlyEntriesOf(oracle.subMap(probe, probe + Character.MAX_VALUE));
      assertThat(table.upTo(last)).containsExactlyEntriesOf(oracle.headMap(last, true));
    }
    assertThat(table.scan("")).containsExactlyEntriesOf(oracle);
  }
}
