package org.bwledger.ledger.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** Replay's tables answer as the live ledger's Kafka Streams stores do. */
class MemoryTableTest {

  private final MemoryTable<Integer> table = new MemoryTable<>();

  @Test
  void scansByPrefixAndUpToAKeyIncludingItInKeyOrder() {
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

  @Test
  void aNullValueDeletes() {
    table.put("a", 1);
    table.put("a", null);

    assertThat(table.get("a")).isNull();
    assertThat(table.scan("")).isEmpty();
  }
}
