package org.bwledger.projector.topology;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory every RocksDB store of the process takes outside the Java heap, as Kafka
 * Streams' memory guide does: one block cache for all stores, holding their index and filter blocks
 * too, and their memtables charged to it. Left alone, each store takes up to 50 MB of block cache
 * and three 16 MB memtables, a sum no container limit can be set from.
 *
 * <p>The bound is {@value #MEMORY_CONFIG} among the Kafka Streams properties (an operator sets it
 * with the further Kafka properties), {@value #DEFAULT_MEMORY_MIB} MiB if unset. It is taken when
 * the first store opens and holds for the life of the process.
 */
public final class BoundedStoreMemory implements RocksDBConfigSetter {

  /** The Kafka Streams property that bounds the stores' memory, in bytes. */
  public static final String MEMORY_CONFIG = "bwledger.rocksdb.memory.bytes";

  static final long DEFAULT_MEMORY_MIB = 64;

  /** Memtables may take up to a quarter of the bound; index and filter blocks a tenth, kept in first. */
  private static final double MEMTABLE_SHARE = 0.25;
  private static final double INDEX_AND_FILTER_SHARE = 0.1;
  private static final long MEMTABLE_BYTES = 4L << 20;

  /** What every store of the process shares. */
  private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

  private static Shared shared;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared memory = shared(bound(configs));
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(memory.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(memory.writeBuffers());
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(2);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager are every store's; they live as long as the process.
  }

  /** The bound in bytes: the property's value, or the default. */
  static long bound(Map<String, Object> configs) {
    Object configured = configs.get(MEMORY_CONFIG);
    if (configured == null) {
      return DEFAULT_MEMORY_MIB << 20;
    }
    try {
      return Long.parseLong(configured.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(MEMORY_CONFIG, configured, "a number of bytes, such as 268435456 for 256 MiB");
    }
  }

  private static synchronized Shared shared(long bytes) {
    if (shared == null) {
      Cache cache = new LRUCache(bytes, -1, false, INDEX_AND_FILTER_SHARE);
      shared = new Shared(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
    }
    return shared;
  }
}
