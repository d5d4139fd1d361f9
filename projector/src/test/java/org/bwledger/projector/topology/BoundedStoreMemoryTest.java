package org.bwledger.projector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedStoreMemoryTest {

  static {
    RocksDB.loadLibrary();
  }

  @Test
  void everyStoreKeepsItsIndexAndFiltersInTheCacheAndSmallMemtables() {
    try (Options first = new Options(); Options second = new Options()) {
      // as Kafka Streams hands them to the setter
      first.setTableFormatConfig(new BlockBasedTableConfig());
      second.setTableFormatConfig(new BlockBasedTableConfig());
      BoundedStoreMemory setter = new BoundedStoreMemory();
      setter.setConfig("nodes", first, Map.of());
      setter.setConfig("node-history", second, Map.of());

      for (Options options : new Options[] {first, second}) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
        assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
        assertThat(options.writeBufferSize()).isEqualTo(4L << 20);
        assertThat(options.maxWriteBufferNumber()).isEqualTo(2);
      }
    }
  }

  @Test
  void theBoundIsTheStreamsPropertyOrTheDefault() {
    assertThat(BoundedStoreMemory.bound(Map.of())).isEqualTo(BoundedStoreMemory.DEFAULT_MEMORY_MIB << 20);
    assertThat(BoundedStoreMemory.bound(Map.of(BoundedStoreMemory.MEMORY_CONFIG, " 268435456"))).isEqualTo(256L << 20);
    assertThatThrownBy(() -> BoundedStoreMemory.bound(Map.of(BoundedStoreMemory.MEMORY_CONFIG, "256Mi")))
        .isInstanceOf(ConfigException.class).hasMessageContaining(BoundedStoreMemory.MEMORY_CONFIG)
        .hasMessageContaining("256Mi");
  }
}
