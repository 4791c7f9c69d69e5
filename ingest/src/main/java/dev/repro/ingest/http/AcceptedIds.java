package dev.repro.ingest.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recent accepted {@code source}+{@code id} pairs, so that a CI system retrying a
 * webhook is told {@code duplicate} instead of being counted twice. A bounded memory: ids that
 * fall out of it (or predate a restart) are still dropped exactly by the router's dedupe store,
 * only without the {@code duplicate} answer.
 */
final class AcceptedIds {

    private final Map<String, Boolean> ids;

    AcceptedIds(int capacity) {
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String source, String id) {
        return ids.containsKey(key(source, id));
    }

    synchronized void add(String source, String id) {
        ids.put(key(source, id), Boolean.TRUE);
    }

    private static String key(String source, String id) {
        return source + '\n' + id;
    }
}
