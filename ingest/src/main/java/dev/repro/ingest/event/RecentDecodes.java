package dev.repro.ingest.event;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The last decodes of one {@link EventDecoder}, each handed out once: ingest decodes an event on
 * its HTTP thread and the router decodes the same archived bytes again moments later, in the same
 * process; the second decode finds the first one's result here instead of parsing and validating
 * the JSON again. Decoding is a pure function of the raw event (bytes, media type, headers) and
 * the receive time, so a result found for equal arguments is the result decoding would give.
 *
 * <p>Bounded: at most {@code capacity} results are kept, the oldest dropped first (one the router
 * never asks for: a duplicate, an event Kafka refused, a router that runs in another instance),
 * and only of bodies up to {@value #MAX_BODY_BYTES} bytes (a typical event is 1 to 2 KiB), so
 * that large bodies cannot fill the heap. Thread-safe.
 */
final class RecentDecodes {

    private record Key(RawEvent raw, Instant receivedAt) {
    }

    static final int MAX_BODY_BYTES = 8 * 1024;

    private final int capacity;
    private final Map<Key, DecodedEvent> results = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Key> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ordered = new AtomicInteger();

    RecentDecodes(int capacity) {
        this.capacity = capacity;
    }

    /**
     * The result kept for these arguments, removed; when none is, {@code decode}'s, kept for the
     * next call with equal arguments. A decode that throws keeps nothing.
     */
    DecodedEvent takeOrDecode(RawEvent raw, Instant receivedAt, Supplier<DecodedEvent> decode) {
        if (capacity == 0) {
            return decode.get();
        }
        Key key = new Key(raw, receivedAt);
        DecodedEvent remembered = results.remove(key);
        if (remembered != null) {
            return remembered;
        }
        DecodedEvent decoded = decode.get();
        if (raw.body().length <= MAX_BODY_BYTES) {
            keep(key, decoded);
        }
        return decoded;
    }

    private void keep(Key key, DecodedEvent decoded) {
        results.put(key, decoded);
        order.add(key);
        if (ordered.incrementAndGet() > capacity) {
            Key oldest = order.poll();
            if (oldest != null) {
                ordered.decrementAndGet();
                results.remove(oldest);
            }
        }
    }
}
