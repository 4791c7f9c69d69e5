package dev.repro.sli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rolling event-time windows as running sums over 5-minute buckets. Every window of a scope ends
 * at the bucket after the latest event time seen ({@link ScopeState#end()}); a contribution is
 * added to its bucket and to the running sum of every window that covers that bucket, so a late
 * event updates exactly the windows it belongs to. When the end moves forward, the buckets that
 * slide out of a window are subtracted from its sum and buckets older than the longest window are
 * deleted. An update costs one bucket read and write plus the buckets that expire: never a
 * rescan of the window.
 */
public final class SlidingWindows {

    /** Where the buckets of one SLI and scope live (a state store, or a map in tests). */
    public interface Buckets {
        Counts get(long bucketStart);

        /** Stores the bucket; an empty one is deleted. */
        void put(long bucketStart, Counts counts);

        /** Buckets with {@code from <= start < to}, ascending. */
        List<Map.Entry<Long, Counts>> range(long from, long to);
    }

    /** One contribution to apply: added ({@code sign} 1) or retracted (-1) at event time {@code time}. */
    public record Entry(long time, int sign, long good, long total, Double value) {
    }

    private static final long BUCKET = SliWindow.BUCKET.toMillis();
    private static final long LONGEST = SliWindow.LONGEST.millis();

    private SlidingWindows() {
    }

    /**
     * Applies {@code entry} to {@code state}; returns false when it falls outside every window
     * (older than the longest window before the current end) and so changes nothing.
     */
    public static boolean apply(ScopeState state, Buckets buckets, Entry entry) {
        long bucket = SliWindow.bucketOf(entry.time());
        if (!state.started()) {
            state.end(bucket + BUCKET);
        }
        if (entry.sign() > 0 && bucket >= state.end()) {
            advance(state, buckets, bucket + BUCKET);
        }
        if (bucket >= state.end() || bucket < state.end() - LONGEST) {
            return false;
        }
        Counts counts = buckets.get(bucket);
        Counts updated = counts == null ? new Counts() : counts;
        updated.add(entry.sign(), entry.good(), entry.total(), entry.value());
        buckets.put(bucket, updated);
        for (SliWindow w : SliWindow.values()) {
            if (bucket >= state.end() - w.millis()) {
                state.sum(w).add(entry.sign(), entry.good(), entry.total(), entry.value());
            }
        }
        if (entry.sign() > 0 && entry.time() > state.asOf()) {
            state.asOf(entry.time());
        }
        return true;
    }

    /** Moves every window's end to {@code newEnd}, subtracting the buckets that leave each window. */
    static void advance(ScopeState state, Buckets buckets, long newEnd) {
        long oldEnd = state.end();
        for (SliWindow w : SliWindow.values()) {
            long from = Math.max(0, oldEnd - w.millis());
            long to = Math.max(0, newEnd - w.millis());
            if (to > from) {
                for (Map.Entry<Long, Counts> leaving : buckets.range(from, to)) {
                    state.sum(w).addAll(leaving.getValue(), -1);
                }
            }
        }
        long expireFrom = Math.max(0, oldEnd - LONGEST);
        long expireTo = Math.max(0, newEnd - LONGEST);
        if (expireTo > expireFrom) {
            for (Map.Entry<Long, Counts> old : new ArrayList<>(buckets.range(expireFrom, expireTo))) {
                buckets.put(old.getKey(), new Counts());
            }
        }
        state.end(newEnd);
    }
}
