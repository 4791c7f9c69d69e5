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
 * <p>The index remembers a floor: a time no entry is older than, lowered by every {@link #put}.
 * A question about times before the floor is answered without touching the store. A scan covers
 * the floor up to {@value #LOOK_AHEAD_MS} ms past its bound, never the whole index (in a cached
 * store a range copies every cached key in it first, so an open-ended scan before every record
 * cost as much as the whole index), and leaves the floor at the earliest entry it left in place,
 * or at its end when there is none: while stream time moves through a stretch with nothing due,
 * one scan a minute of event time answers for every record in it. Without a floor, asking
 * "anything due?" before every record seeks over every entry deleted since the store last
 * compacted, and the cost of a record grows with the records before it. The floor lives in this
 * object only: an index made afresh (a task initialised again, after a restore) starts from the
 * beginning once. Every write must therefore go through this object.
 */
public final class TimeIndex {

    /** How far past its bound a scan looks, to learn where the next entry is. */
    static final long LOOK_AHEAD_MS = 60_000L;

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
        return scan(bound, Integer.MAX_VALUE, false);
    }

    /** Removes and returns the entries whose time is before {@code bound} (exclusive), oldest first. */
    public List<KeyValue<String, String>> takeBefore(long bound) {
        return take(bound, Integer.MAX_VALUE);
    }

    /**
     * Removes and returns the earliest entry whose time is before {@code bound} (exclusive), if
     * any. The scan that finds it also sees the entry after it, so taking what is due one entry at
     * a time asks the store once per entry, and not again when the next one is not due yet.
     */
    public Optional<KeyValue<String, String>> takeFirstBefore(long bound) {
        return take(bound, 1).stream().findFirst();
    }

    /** Removes and returns up to {@code limit} entries before {@code bound}, oldest first. */
    private List<KeyValue<String, String>> take(long bound, int limit) {
        List<KeyValue<String, String>> due = scan(bound, limit, true);
        due.forEach(entry -> store.delete(entry.key));
        return due;
    }

    /**
     * Up to {@code limit} entries before {@code bound}, oldest first, from a scan that looks
     * {@value #LOOK_AHEAD_MS} ms past the bound: the floor then moves to the first entry left in
     * the index (one found, and not taken), or to the end of the scan, so while stream time moves
     * through an empty stretch of the index most questions are answered from the floor alone.
     */
    private List<KeyValue<String, String>> scan(long bound, int limit, boolean taking) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        if (bound <= floor) {
            return due;
        }
        long end = bound > Long.MAX_VALUE - LOOK_AHEAD_MS ? Long.MAX_VALUE : bound + LOOK_AHEAD_MS;
        long next = end;
        try (KeyValueIterator<String, String> it = store.range(pad(floor), pad(end))) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                long time = timeOf(entry.key);
                if (time >= bound || due.size() == limit) {
                    next = time;
                    break;
                }
                due.add(entry);
            }
        }
        floor = taking || due.isEmpty() ? next : timeOf(due.get(0).key);
        return due;
    }

    /** {@code time} as 19 zero-padded digits (negative times as 0), the sortable head of a key. */
    private static String pad(long time) {
        String digits = Long.toString(Math.max(0L, time));
        return "0".repeat(19 - digits.length()) + digits;
    }
}
