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
 * its last scan found, lowered by every earlier {@link #put}). A question about times before
 * the floor is answered without touching the store, and a scan starts at the floor instead of
 * the start of the store. Without it, asking "anything due?" before every record seeks over every
 * entry deleted since the store last compacted, and the cost of a record grows with the records
 * before it. The floor lives in this object only: an index made afresh (a task initialised again,
 * after a restore) starts from the beginning once. Every write must therefore go through this
 * object.
 */
public final class TimeIndex {

    private final KeyValueStore<String, String> store;
    /** No entry has a time before this; {@link Long#MAX_VALUE} when the last scan found none. */
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
        try (KeyValueIterator<String, String> it = store.range(pad(floor), null)) {
            floor = Long.MAX_VALUE;
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                long time = timeOf(entry.key);
                floor = Math.min(floor, time);
                if (time >= bound) {
                    break;
                }
                due.add(entry);
            }
        }
        return due;
    }

    /** The earliest entry whose time is before {@code bound} (exclusive), if any. */
    public Optional<KeyValue<String, String>> firstBefore(long bound) {
        if (bound <= floor) {
            return Optional.empty();
        }
        try (KeyValueIterator<String, String> it = store.range(pad(floor), null)) {
            if (!it.hasNext()) {
                floor = Long.MAX_VALUE;
                return Optional.empty();
            }
            KeyValue<String, String> first = it.next();
            floor = timeOf(first.key);
            return floor < bound ? Optional.of(first) : Optional.empty();
        }
    }

    /** {@code time} as 19 zero-padded digits (negative times as 0), the sortable head of a key. */
    private static String pad(long time) {
        String digits = Long.toString(Math.max(0L, time));
        return "0".repeat(19 - digits.length()) + digits;
    }
}
