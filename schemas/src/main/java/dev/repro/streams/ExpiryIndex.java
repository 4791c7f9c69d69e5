package dev.repro.streams;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which keys of a state store to forget: those whose last activity is older than a cutoff (stream
 * time minus the retention). A key is filed once, when it appears, not again on every update: when
 * its entry comes due, the caller tells its current last activity, and a key active since is filed
 * again at that time instead of being forgotten. A key updated on every record so costs one index
 * write per retention period instead of a delete and a put per record, and keys are forgotten at
 * the same stream time as with an index kept exact.
 *
 * <p>Entries are {@link TimeIndex} keys {@code <time>|<key>}, so a key filed twice at one time is
 * one entry; a key filed at two times (forgotten and seen again before its old entry came due) is
 * checked twice, which is harmless.
 */
public final class ExpiryIndex {

    private final TimeIndex index;

    public ExpiryIndex(KeyValueStore<String, String> store) {
        this.index = new TimeIndex(store);
    }

    /** Files a key that has just appeared, with its last activity so far. */
    public void register(String key, long lastActivity) {
        index.put(lastActivity, key, key);
    }

    /**
     * The keys to forget now, oldest entry first: those filed before {@code cutoff} whose last
     * activity, as {@code lastActivity} tells it now ({@link Long#MIN_VALUE} for a key gone
     * already), is still before it. The others are filed again at their last activity. The
     * caller removes the keys returned.
     */
    public List<String> expired(long cutoff, ToLongFunction<String> lastActivity) {
        return List.copyOf(expired(cutoff, key -> key, lastActivity).keySet());
    }

    /**
     * The same for a caller whose last activity is read from its state: each due key's state is
     * read once with {@code read}, {@code lastActivity} tells the activity from it, and the keys to
     * forget come back with what was read of them (oldest entry first), for the caller to remove
     * without reading them again. A key filed twice is read once.
     */
    public <V> Map<String, V> expired(long cutoff, Function<String, V> read, ToLongFunction<V> lastActivity) {
        Map<String, V> expired = new LinkedHashMap<>();
        for (KeyValue<String, String> due : index.takeBefore(cutoff)) {
            if (expired.containsKey(due.value)) {
                continue;
            }
            V state = read.apply(due.value);
            long last = lastActivity.applyAsLong(state);
            if (last < cutoff) {
                expired.put(due.value, state);
            } else {
                index.put(last, due.value, due.value);
            }
        }
        return Collections.unmodifiableMap(expired);
    }
}
