package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObjectCachingStoreTest {

    /** A mutable value, so that handing out the same object again is visible. */
    static final class Tally {
        final List<String> items = new ArrayList<>();

        @Override
        public String toString() {
            return String.join(",", items);
        }
    }

    private final AtomicInteger encoded = new AtomicInteger();
    private final AtomicInteger decoded = new AtomicInteger();
    private final Serde<Tally> tallies = Serdes.serdeFrom(
            (topic, tally) -> {
                encoded.incrementAndGet();
                return tally == null ? null : tally.toString().getBytes();
            },
            (topic, bytes) -> {
                decoded.incrementAndGet();
                if (bytes == null) {
                    return null;
                }
                Tally tally = new Tally();
                tally.items.addAll(List.of(new String(bytes).split(",")));
                return tally;
            });

    private KeyValueStore<String, Tally> below;
    private ObjectCachingStore<Tally> store;

    @BeforeEach
    void setUp() {
        below = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("tallies"), Serdes.String(), tallies)
                .withLoggingDisabled().build();
        store = new ObjectCachingStore<>(below, 2);
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    private static Tally tally(String... items) {
        Tally tally = new Tally();
        tally.items.addAll(List.of(items));
        return tally;
    }

    @Test
    void shouldHandOutTheObjectPutAndWriteItDownOnceAtTheFlush() {
        Tally a = tally("x");
        store.put("a", a);
        store.get("a").items.add("y");
        store.put("a", store.get("a"));

        assertThat(store.get("a")).isSameAs(a);
        assertThat(below.get("a")).as("not written down before the flush").isNull();
        store.flushCache();

        assertThat(encoded).as("two puts, one encoding").hasValue(1);
        assertThat(below.get("a")).hasToString("x,y");
        assertThat(store.pendingWrites()).isZero();
    }

    @Test
    void shouldDecodeAValueOnceWhileItStaysAmongTheCleanOnes() {
        below.put("a", tally("x"));
        decoded.set(0);

        Tally first = store.get("a");
        assertThat(store.get("a")).isSameAs(first);
        assertThat(decoded).hasValue(1);

        store.get("b");
        store.get("c");
        assertThat(store.get("a")).as("evicted: at most two clean values are kept").isNotSameAs(first).hasToString("x");
    }

    @Test
    void shouldDeleteAtTheFlushAndAnswerNullMeanwhile() {
        below.put("a", tally("x"));

        assertThat(store.delete("a")).hasToString("x");
        assertThat(store.get("a")).isNull();
        assertThat(below.get("a")).isNotNull();
        store.flushCache();

        assertThat(below.get("a")).isNull();
        assertThat(store.get("a")).isNull();
    }

    @Test
    void shouldDropWhatWasNotFlushedWhenTheCacheIsCleared() {
        store.put("a", tally("x"));
        store.flushCache();
        store.get("a").items.add("unflushed");
        store.put("a", store.get("a"));

        store.clearCache();

        assertThat(store.get("a")).as("back to what the changelog has").hasToString("x");
    }

    @Test
    void shouldLetARangeScanSeePendingChanges() {
        store.put("a", tally("x"));
        store.put("b", tally("y"));
        store.delete("a");

        List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, Tally> all = store.all()) {
            all.forEachRemaining(kv -> seen.add(kv.key + "=" + kv.value));
        }

        assertThat(seen).containsExactly("b=y");
        assertThat(store.putIfAbsent("b", tally("z"))).hasToString("y");
    }

    /** Appends the record's value to its key's tally three times, in one record. */
    static final class Appender implements Processor<String, String, String, String> {
        private KeyValueStore<String, Tally> tallies;
        private ProcessorContext<String, String> context;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            this.tallies = context.getStateStore("tallies");
        }

        @Override
        public void process(Record<String, String> record) {
            for (int i = 0; i < 3; i++) {
                Tally tally = tallies.get(record.key());
                if (tally == null) {
                    tally = new Tally();
                }
                tally.items.add(record.value());
                tallies.put(record.key(), tally);
            }
            context.forward(record.withValue(tallies.get(record.key()).toString()));
        }
    }

    @Test
    void shouldWriteTheChangelogInTheCommitOfTheRecordThatChangedIt() {
        Topology topology = new Topology();
        topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
        topology.addProcessor("append", Appender::new, "in");
        topology.addStateStore(StateStores.objects("tallies", tallies), "append");
        topology.addSink("out", "out", new StringSerializer(), new StringSerializer(), "append");
        Properties config = new Properties();
        config.putAll(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "objects", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092"));

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> changelog = driver.createOutputTopic("objects-tallies-changelog",
                    new StringDeserializer(), new StringDeserializer());
            encoded.set(0);

            in.pipeInput("a", "x");
            in.pipeInput("a", "y");

            assertThat(changelog.readKeyValuesToList()).containsExactly(KeyValue.pair("a", "x,x,x"), KeyValue.pair("a", "x,x,x,y,y,y"));
            assertThat(encoded).as("one encoding per commit, not per put").hasValue(2);
        }
    }
}
