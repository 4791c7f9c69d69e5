package dev.repro.streams;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The state stores of repro's stream apps: persistent (RocksDB), changelogged, and cached.
 *
 * <p>Processor API stores are uncached unless asked for, and then every {@code put} is a RocksDB
 * write and a changelog record at once. Cached, repeated writes of one key between two commits
 * (every cluster of an environment deployed together, a scope's window counted again and again)
 * reach RocksDB and the changelog once, at the commit, and a read of a key written since the last
 * commit does not reach RocksDB. What the apps emit does not change: they forward their records
 * themselves, never through a cache flush.
 */
public final class StateStores {

    private StateStores() {
    }

    /** A persistent, changelogged, cached store of {@code values} by string key. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
        return uncached(name, values).withCachingEnabled();
    }

    /**
     * The same without the cache, for a store read by a range scan on every record: a scan of a
     * cached store first copies every cached key of its range, so with thousands of keys in range
     * (every recipe of one artifact) each scan cost more than the rest of the record. RocksDB
     * seeks straight to the first key.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> uncached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
