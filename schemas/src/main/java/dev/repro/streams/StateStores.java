package dev.repro.streams;

import java.util.Map;

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

    /** Unchanged values an object-caching store keeps decoded, per task. */
    static final int CLEAN_OBJECTS = 1_000;

    private StateStores() {
    }

    /** A persistent, changelogged, cached store of {@code values} by string key. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
        return uncached(name, values).withCachingEnabled();
    }

    /**
     * A persistent, changelogged, cached store of {@code values} by string key whose values are
     * also kept as objects ({@link ObjectCachingStore}: read it for the rules), at most
     * {@value #CLEAN_OBJECTS} unchanged ones per task. For a large value read, changed and written
     * back on most records, by one processor, and never served to interactive queries.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> objects(String name, Serde<V> values) {
        return new ObjectCaching<>(keyValue(name, values));
    }

    /** Builds {@code below} and lays an {@link ObjectCachingStore} over it. */
    private record ObjectCaching<V>(StoreBuilder<KeyValueStore<String, V>> below)
            implements StoreBuilder<KeyValueStore<String, V>> {

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            return new ObjectCaching<>(below.withCachingEnabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            return new ObjectCaching<>(below.withCachingDisabled());
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
            return new ObjectCaching<>(below.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
            return new ObjectCaching<>(below.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<String, V> build() {
            return new ObjectCachingStore<>(below.build(), CLEAN_OBJECTS);
        }

        @Override
        public Map<String, String> logConfig() {
            return below.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return below.loggingEnabled();
        }

        @Override
        public String name() {
            return below.name();
        }
    }

    /**
     * The same without the cache, for a store read by a range scan on most records: a scan of a
     * cached store first copies every cached key of its range, so with thousands of keys in range
     * (every recipe of one artifact) each scan cost more than the rest of the record, and with a
     * few (the drift detector's grace deadlines, scanned whenever one comes due) still a third of
     * it. RocksDB seeks straight to the first key.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> uncached(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
