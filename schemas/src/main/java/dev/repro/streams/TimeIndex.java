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
 *
 * <p>The index remembers a floor: a time no entry is older than (the time of the earliest entry
 * its last scan found, or that scan's bound when it found none, lowered by every later
 * {@link #put}). A question about times before the floor is answered without touching the store,
 * and a scan covers only the floor up to its bound, never the entries after it: in a cached store
 * a range copies every cached key in it first, so an open-ended scan before every record cost as
 * much as the whole index. Without it, asking "anything due?" before every record seeks over every
 * entry deleted since the store last compacted, and the cost of a record grows with the records
 * before it. The floor lives in this object only: an index made afresh (a task initialised again,
 * after a restore) starts from the beginning once. Every write must therefore go through this
 * object.
 */
public final class TimeIndex {

    private final KeyValueStore<String, String> store;
    /** No entry has a time before this. */
    private long floor;

    public TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    public static String key(long time, String suffix) {
        return pad(time) + '|' + suffix;
    }

    public static long timeOf(String indexKey) {
        return Long.parseLong(indexKey.substring(0, 19));
    }

    public void put(long time, String suffix, String value) {
        floor = Math.min(floor, Math.max(0L, time));
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
        if (bound <= floor) {
            return due;
        }
        try (KeyValueIterator<String, String> it = dueRange(bound)) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        floor = due.isEmpty() ? bound : timeOf(due.get(0).key);
        return due;
    }

    /** Removes and returns the entries whose time is before {@code bound} (exclusive), oldest first. */
    public List<KeyValue<String, String>> takeBefore(long bound) {
        List<KeyValue<String, String>> due = before(bound);
        due.forEach(entry -> store.delete(entry.key));
        floor = Math.max(floor, bound);
        return due;
    }

    /** The earliest entry whose time is before {@code bound} (exclusive), if any. */
    public Optional<KeyValue<String, String>> firstBefore(long bound) {
        if (bound <= floor) {
            return Optional.empty();
        }
        try (KeyValueIterator<String, String> it = dueRange(bound)) {
            if (!it.hasNext()) {
                floor = bound;
                return Optional.empty();
            }
            KeyValue<String, String> first = it.next();
            floor = timeOf(first.key);
            return Optional.of(first);
        }
    }

    /**
     * The entries from the floor to {@code bound} (exclusive): every key of a time before it sorts
     * before {@code pad(bound)}, which no key equals. Bounded on both sides, because a cached store
     * copies every cached key of the range before it iterates.
     */
    private KeyValueIterator<String, String> dueRange(long bound) {
        return store.range(pad(floor), pad(bound));
    }

    /** {@code time} as 19 zero-padded digits (negative times as 0), the sortable head of a key. */
    private static String pad(long time) {
        String digits = Long.toString(Math.max(0L, time));
        return "0".repeat(19 - digits.length()) + digits;
    }
}
