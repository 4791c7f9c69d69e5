package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExpiryIndexTest {

    private KeyValueStore<String, String> store;
    private ExpiryIndex index;
    /** The last activity of each live key, as the caller's own state would tell it. */
    private final Map<String, Long> lastActivity = new HashMap<>();

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("expiry"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        index = new ExpiryIndex(store);
    }

    private void seen(String key, long time) {
        if (lastActivity.put(key, time) == null) {
            index.register(key, time);
        }
    }

    private long last(String key) {
        return lastActivity.getOrDefault(key, Long.MIN_VALUE);
    }

    @Test
    void shouldForgetAKeyOnlyOnceItsLastActivityIsBeforeTheCutoff() {
        seen("a", 100);
        seen("b", 150);
        seen("a", 400);

        assertThat(index.expired(200, this::last)).as("a was active at 400").containsExactly("b");
        lastActivity.remove("b");
        assertThat(index.expired(400, this::last)).isEmpty();
        assertThat(index.expired(401, this::last)).containsExactly("a");
    }

    @Test
    void shouldWriteTheIndexOnceForAKeyUpdatedOnEveryRecord() {
        for (long t = 0; t < 1_000; t++) {
            seen("busy", t);
        }
        assertThat(store.approximateNumEntries()).isEqualTo(1);
        assertThat(index.expired(500, this::last)).isEmpty();
        assertThat(store.get(TimeIndex.key(999, "busy"))).as("filed again at its last activity").isEqualTo("busy");
    }

    @Test
    void shouldForgetAKeyGoneAlreadyAndReturnAKeyFiledTwiceOnce() {
        index.register("k", 10);
        index.register("k", 20);

        assertThat(index.expired(100, this::last)).containsExactly("k");
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void shouldReadEachDueKeyOnceAndHandBackWhatItReadOfTheKeysToForget() {
        seen("old", 100);
        seen("busy", 120);
        seen("busy", 900);
        index.register("old", 150);
        List<String> reads = new ArrayList<>();

        Map<String, String> expired = index.expired(500, key -> {
            reads.add(key);
            return key + "@" + last(key);
        }, state -> Long.parseLong(state.substring(state.indexOf('@') + 1)));

        assertThat(expired).as("what was read of the key to forget").containsExactly(Map.entry("old", "old@100"));
        assertThat(reads).as("'old', filed twice, read once").containsExactly("old", "busy");
        assertThat(store.get(TimeIndex.key(900, "busy"))).as("filed again at its last activity").isEqualTo("busy");
    }
}
