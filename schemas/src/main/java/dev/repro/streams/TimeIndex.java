package dev.repro.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A key-value store used as an index by event time: keys {@code <19-digit ms>|<suffix>} sort by
 * time, so what is due before a stream time is one range scan, whatever the number of keys. The
 * stream apps keep their deadlines (a replay waiting for its original, a convergence grace) and
 * their state expiry in such stores.
 */
public final class TimeIndex {

    private final KeyValueStore<String, String> store;

    public TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    public static String key(long time, String suffix) {
        return String.format("%019d|%s", Math.max(0L, time), suffix);
    }

    public static long timeOf(String indexKey) {
        return Long.parseLong(indexKey.substring(0, 19));
    }

    public void put(long time, String suffix, String value) {
        store.put(key(time, suffix), value);
    }

    public void delete(long time, String suffix) {
        store.delete(key(time, suffix));
    }

    public void delete(String indexKey) {
        store.delete(indexKey);
    }

    /** Entries whose time is before {@code bound} (exclusive), oldest first. */
    public List<KeyValue<String, String>> before(long bound) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        if (bound <= 0) {
            return due;
        }
        try (KeyValueIterator<String, String> it = store.range("", String.format("%019d", bound))) {
            it.forEachRemaining(due::add);
        }
        return due;
    }

    /** The earliest entry whose time is before {@code bound} (exclusive), if any. */
    public Optional<KeyValue<String, String>> firstBefore(long bound) {
        if (bound <= 0) {
            return Optional.empty();
        }
        try (KeyValueIterator<String, String> it = store.range("", String.format("%019d", bound))) {
            return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
        }
    }
}
