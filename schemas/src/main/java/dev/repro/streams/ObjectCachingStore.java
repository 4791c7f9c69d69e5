package dev.repro.streams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A layer over a store's serdes that keeps values as objects: a value read is decoded once and
 * then handed out again as the same object, and a value put is encoded once, when the task
 * commits, however often it was put since. For a processor that reads, changes and writes back a
 * large value per record (an environment and all its clusters) this removes nearly all of the
 * encoding and decoding; Kafka Streams' own record cache, below this layer, keeps bytes and so
 * still encodes every put and decodes every get.
 *
 * <p>Changes reach the layers below in {@link #flushCache()}, which Kafka Streams calls in every
 * commit before the producer is flushed and the transaction committed: with exactly-once the
 * changelog records of a commit's changes are in that commit's transaction, as with the record
 * cache. A task closed dirty (a failed transaction) closes its stores, and this layer drops what
 * it had not written down, as the record cache does; the task starts again from the changelog
 * ({@link #init} starts empty). A store recycled between an active and a standby task is
 * cleared too ({@link #clearCache()}).
 *
 * <p>Rules for the processor that owns it:
 * <ul>
 *   <li>Values are live: a value taken from {@link #get} and changed must be {@link #put} back
 *       (or deleted) while processing the same record; a change not written back would still be
 *       seen by the next {@code get} without being in the changelog.</li>
 *   <li>One thread only: not for a store served to interactive queries, whose threads would read
 *       the live objects while the stream thread changes them.</li>
 *   <li>Range scans first write back what is pending, then read below, so they see every change.</li>
 * </ul>
 * At most {@code maxCleanEntries} values read and not changed are kept (least recently used first
 * out); changed values are kept until the next commit.
 */
public final class ObjectCachingStore<V> extends WrappedStateStore<KeyValueStore<String, V>, String, V>
        implements KeyValueStore<String, V> {

    /** A key known to have no value: a delete pending, or a read that found nothing. */
    private static final Object ABSENT = new Object();

    private final int maxCleanEntries;
    /** Changed since the last commit, in the order first changed: value or {@link #ABSENT}. */
    private final Map<String, Object> dirty = new LinkedHashMap<>();
    /** As below, least recently used first: value or {@link #ABSENT}. */
    private final LinkedHashMap<String, Object> clean;

    public ObjectCachingStore(KeyValueStore<String, V> store, int maxCleanEntries) {
        super(store);
        if (maxCleanEntries < 0) {
            throw new IllegalArgumentException("maxCleanEntries must not be negative: " + maxCleanEntries);
        }
        this.maxCleanEntries = maxCleanEntries;
        this.clean = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
                return size() > ObjectCachingStore.this.maxCleanEntries;
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        dropCached();
        super.init(context, root);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(String key) {
        Object value = dirty.get(key);
        if (value == null) {
            value = clean.get(key);
        }
        if (value == null) {
            V read = wrapped().get(key);
            value = read == null ? ABSENT : read;
            if (maxCleanEntries > 0) {
                clean.put(key, value);
            }
        }
        return value == ABSENT ? null : (V) value;
    }

    @Override
    public void put(String key, V value) {
        clean.remove(key);
        dirty.put(key, value == null ? ABSENT : value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(String key) {
        V current = get(key);
        put(key, null);
        return current;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeBack();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        writeBack();
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeBack();
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        writeBack();
        return wrapped().reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeBack();
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /** Writes the changes down, then lets the layers below flush theirs (Kafka Streams calls it before each commit). */
    @Override
    public void flushCache() {
        writeBack();
        super.flushCache();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        writeBack();
        super.commit(changelogOffsets);
    }

    /** Drops what was not written down (Kafka Streams clears a store it recycles between an active and a standby task). */
    @Override
    public void clearCache() {
        dropCached();
        super.clearCache();
    }

    @Override
    public void close() {
        dropCached();
        super.close();
    }

    /** Changed values not yet written below. */
    int pendingWrites() {
        return dirty.size();
    }

    @SuppressWarnings("unchecked")
    private void writeBack() {
        if (dirty.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Object> change : dirty.entrySet()) {
            Object value = change.getValue();
            wrapped().put(change.getKey(), value == ABSENT ? null : (V) value);
            if (maxCleanEntries > 0) {
                clean.put(change.getKey(), value);
            }
        }
        dirty.clear();
    }

    private void dropCached() {
        dirty.clear();
        clean.clear();
    }
}
