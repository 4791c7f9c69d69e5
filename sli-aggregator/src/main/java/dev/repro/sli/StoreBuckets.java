package dev.repro.sli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The buckets of one SLI and scope in the {@code sli-buckets-store}, keyed {@code sli/scope#<16 hex digits of the start>}. */
final class StoreBuckets implements SlidingWindows.Buckets {

    private final KeyValueStore<String, Counts> store;
    private final String prefix;

    StoreBuckets(KeyValueStore<String, Counts> store, String scopeKey) {
        this.store = store;
        this.prefix = scopeKey + "#";
    }

    static String key(String scopeKey, long start) {
        return scopeKey + "#" + SliObservation.hex(start);
    }

    @Override
    public Counts get(long bucketStart) {
        return store.get(prefix + SliObservation.hex(bucketStart));
    }

    @Override
    public void put(long bucketStart, Counts counts) {
        if (counts.isEmpty()) {
            store.delete(prefix + SliObservation.hex(bucketStart));
        } else {
            store.put(prefix + SliObservation.hex(bucketStart), counts);
        }
    }

    @Override
    public List<Map.Entry<Long, Counts>> range(long from, long to) {
        List<Map.Entry<Long, Counts>> out = new ArrayList<>();
        if (to <= from) {
            return out;
        }
        try (KeyValueIterator<String, Counts> it = store.range(prefix + SliObservation.hex(from),
                prefix + SliObservation.hex(to - 1))) {
            while (it.hasNext()) {
                var kv = it.next();
                // another scope whose name extends this one's can sort in between: keep exact matches only
                if (kv.key.length() == prefix.length() + 16 && kv.key.startsWith(prefix)) {
                    out.add(Map.entry(Long.parseLong(kv.key.substring(prefix.length()), 16), kv.value));
                }
            }
        }
        return out;
    }
}
