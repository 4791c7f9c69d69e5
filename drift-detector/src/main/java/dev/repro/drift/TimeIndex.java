package dev.repro.drift;

import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store used as an index by event time: keys {@code <19-digit ms>|<suffix>} sort by time, so
 * the earliest entry due before a stream time is one range scan, whatever the number of keys.
 */
final class TimeIndex {

    private final KeyValueStore<String, String> store;

    TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    static String key(long time, String suffix) {
        return String.format("%019d|%s", Math.max(0L, time), suffix);
    }

    static long timeOf(String indexKey) {
        return Long.parseLong(indexKey.substring(0, 19));
    }

    void put(long time, String suffix, String value) {
        store.put(key(time, suffix), value);
    }

    void delete(long time, String suffix) {
        store.delete(key(time, suffix));
    }

    void delete(String indexKey) {
        store.delete(indexKey);
    }

    /** The earliest entry whose time is before {@code bound} (exclusive), if any. */
    Optional<KeyValue<String, String>> firstBefore(long bound) {
        if (bound <= 0) {
            return Optional.empty();
        }
        try (KeyValueIterator<String, String> it = store.range("", String.format("%019d", bound))) {
            return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
        }
    }
}
