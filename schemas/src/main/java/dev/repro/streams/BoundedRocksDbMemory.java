package dev.repro.streams;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

import dev.repro.config.ConfigException;
import dev.repro.config.ReproConfig;

/**
 * Bounds the memory of every RocksDB store in the JVM by one budget ({@value #MEMORY}, default
 * {@value #DEFAULT_MEMORY}): one LRU block cache shared by all stores of all apps in the process,
 * holding their data blocks, their index and filter blocks, and (through one write-buffer
 * manager charging it) their memtables. Without it each store keeps its own cache and memtables,
 * and memory grows with the number of stores and partitions, not with what the budget says. A
 * quarter of the budget may be memtables; index and filter blocks get the high-priority share.
 *
 * <p>Kafka Streams makes one instance per store; the cache and the manager are made once per JVM,
 * with the budget of the first app that opens a store ({@code repro up} runs every app in one
 * JVM, so they share the budget), and are never closed: they live as long as the process.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The budget, in bytes or with a {@code k}, {@code m} or {@code g} suffix (binary units). */
    public static final String MEMORY = "REPRO_ROCKSDB_MEMORY";
    public static final String DEFAULT_MEMORY = "256m";
    /** The Streams property carrying the budget (bytes) to each store's setter. */
    static final String MEMORY_BYTES_PROPERTY = "repro.rocksdb.memory.bytes";

    private static final double MEMTABLE_SHARE = 0.25;
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static final long BLOCK_SIZE = 16 * 1024;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long budget;

    /** The Streams properties that bound the stores of an app run with {@code config}. */
    public static Map<String, Object> streamsProperties(ReproConfig config) {
        return Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName(),
                MEMORY_BYTES_PROPERTY, Long.toString(parse(config.get(MEMORY, DEFAULT_MEMORY))));
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object configured = configs.get(MEMORY_BYTES_PROPERTY);
        long bytes = configured == null ? parse(DEFAULT_MEMORY) : Long.parseLong(configured.toString());
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        synchronized (BoundedRocksDbMemory.class) {
            if (cache == null) {
                budget = bytes;
                cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
                writeBuffers = new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache);
            }
            table.setBlockCache(cache);
            options.setWriteBufferManager(writeBuffers);
        }
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        table.setBlockSize(BLOCK_SIZE);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store of the process: kept
    }

    /** Bytes the shared cache holds now (blocks and memtables); 0 before any store opened. */
    public static synchronized long usage() {
        return cache == null ? 0 : cache.getUsage();
    }

    /** The budget the shared cache was made with; 0 before any store opened. */
    public static synchronized long budget() {
        return budget;
    }

    /**
     * {@code value} ({@code 268435456}, {@code 256m}, {@code 1g}) in bytes.
     *
     * @throws ConfigException naming {@value #MEMORY} and the rule when it is not a size of at least 16 MiB
     */
    public static long parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                default -> 1L << 30;
            };
            v = v.substring(0, v.length() - 1);
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(v), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(MEMORY + ": '" + value + "' is not a size (bytes, or a number with k, m or g)");
        }
        if (bytes < 16L << 20) {
            throw new ConfigException(MEMORY + ": '" + value + "' is below the 16m RocksDB needs for its memtables and index blocks");
        }
        return bytes;
    }
}
