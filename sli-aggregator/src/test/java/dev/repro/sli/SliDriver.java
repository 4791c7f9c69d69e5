package dev.repro.sli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import dev.repro.schema.Alert;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.DeadLetterHandler;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/** The topology under a {@link TopologyTestDriver}, with one input per topic and readers of the outputs. */
final class SliDriver implements AutoCloseable {

    final TopicCatalog catalog = TopicCatalog.defaults();
    final AvroSerdes serdes = AvroSerdes.create();
    final SliConfig config;
    final TopologyTestDriver driver;
    private final Map<TopicId, TestInputTopic<String, SpecificRecord>> inputs = new LinkedHashMap<>();
    final TestInputTopic<String, byte[]> rawBuilds;
    private final TestOutputTopic<String, SliValue> sli;
    private final TestOutputTopic<String, Alert> alerts;
    private final TestOutputTopic<String, RejectedEvent> deadLetters;
    private final Map<String, SliValue> latestSli = new LinkedHashMap<>();
    private final List<Alert> alertLog = new ArrayList<>();

    SliDriver(String targets, long minEvents) {
        this.config = new SliConfig("sli-test", new InetSocketAddress("127.0.0.1", 0), Duration.ofDays(1),
                Duration.ofMinutes(30), minEvents, SliTargets.parse(SliConfig.TARGETS, targets), Set.of("prod", "production"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sli-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, catalog.name(TopicId.DEAD_LETTER));
        this.driver = new TopologyTestDriver(new SliTopology(catalog, serdes, config).build(), props);
        Serializer<SpecificRecord> values = (topic, record) -> serdes.serialize(record);
        for (TopicId id : List.of(TopicId.BUILDS, TopicId.RUNS, TopicId.TESTS, TopicId.REBUILD_VERDICTS,
                TopicId.REPLAY_VERDICTS, TopicId.DRIFT)) {
            inputs.put(id, driver.createInputTopic(catalog.name(id), new StringSerializer(), values));
        }
        this.rawBuilds = driver.createInputTopic(catalog.name(TopicId.BUILDS), new StringSerializer(), new ByteArraySerializer());
        this.sli = driver.createOutputTopic(catalog.name(TopicId.SLI), new StringDeserializer(),
                (topic, bytes) -> serdes.deserialize(SliValue.class, bytes));
        this.alerts = driver.createOutputTopic(catalog.name(TopicId.ALERTS), new StringDeserializer(),
                (topic, bytes) -> serdes.deserialize(Alert.class, bytes));
        this.deadLetters = driver.createOutputTopic(catalog.name(TopicId.DEAD_LETTER), new StringDeserializer(),
                (topic, bytes) -> serdes.deserialize(RejectedEvent.class, bytes));
    }

    SliDriver() {
        this("", 10);
    }

    SliDriver pipe(SpecificRecord... records) {
        for (SpecificRecord r : records) {
            if (r instanceof BuildEvent b) {
                inputs.get(TopicId.BUILDS).pipeInput(b.getArtifact().getName() + "@" + b.getCommit() + "#" + b.getRecipeDigest(), b);
            } else if (r instanceof RunEvent run) {
                inputs.get(TopicId.RUNS).pipeInput(run.getReplayOf() != null ? run.getReplayOf() : run.getRunId(), run);
            } else if (r instanceof TestEvent t) {
                inputs.get(TopicId.TESTS).pipeInput(t.getSuite() + "@" + t.getCommit(), t);
            } else if (r instanceof RebuildVerdict v) {
                inputs.get(TopicId.REBUILD_VERDICTS).pipeInput(v.getRecipeKey(), v);
            } else if (r instanceof ReplayVerdict v) {
                inputs.get(TopicId.REPLAY_VERDICTS).pipeInput(v.getOriginalRunId(), v);
            } else if (r instanceof DriftStatus d) {
                inputs.get(TopicId.DRIFT).pipeInput(d.getTarget(), d);
            } else {
                throw new IllegalArgumentException("not an input: " + r.getClass());
            }
        }
        drain();
        return this;
    }

    private void drain() {
        for (KeyValue<String, SliValue> kv : sli.readKeyValuesToList()) {
            latestSli.put(kv.key, kv.value);
        }
        alertLog.addAll(alerts.readValuesToList());
    }

    /** The latest value sent for {@code sli/scope/window}, or null. */
    SliValue sli(String sli, String scope, String window) {
        drain();
        return latestSli.get(sli + "/" + scope + "/" + window);
    }

    /** Every alert record sent so far, in order. */
    List<Alert> alerts() {
        drain();
        return List.copyOf(alertLog);
    }

    List<Alert> alerts(String key) {
        return alerts().stream().filter(a -> a.getKey().equals(key)).toList();
    }

    Alert lastAlert(String key) {
        List<Alert> forKey = alerts(key);
        return forKey.isEmpty() ? null : forKey.get(forKey.size() - 1);
    }

    List<RejectedEvent> deadLetters() {
        return deadLetters.readValuesToList();
    }

    SliQueries queries() {
        return new SliQueries(new SliQueries.StoreAccess() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return driver.getKeyValueStore(name);
            }
        }, config.targets());
    }

    @Override
    public void close() {
        driver.close();
    }
}
