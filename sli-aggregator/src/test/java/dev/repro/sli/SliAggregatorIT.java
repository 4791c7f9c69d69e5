package dev.repro.sli;

import static dev.repro.sli.Fixtures.aBuild;
import static dev.repro.sli.Fixtures.aDrift;
import static dev.repro.sli.Fixtures.aRebuildVerdict;
import static dev.repro.sli.Fixtures.aReplayVerdict;
import static dev.repro.sli.Fixtures.aRun;
import static dev.repro.sli.Fixtures.aTest;
import static dev.repro.sli.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.schema.Alert;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.DriftState;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestOutcome;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;

/** The app on a real broker: the same input replayed by a fresh application id gives byte-identical output topics. */
class SliAggregatorIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();

    @Test
    void shouldWriteByteIdenticalSlisAndAlertsWhenReplayedWithAFreshApplicationId() throws Exception {
        String prefix = KAFKA.uniquePrefix();
        ReproConfig base = ReproConfig.of(Map.of(
                ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, prefix,
                ReproConfig.TOPIC_PARTITIONS, "1",
                StreamsAppRunner.STATE_DIR, stateDir.toString(),
                SliConfig.BIND, "127.0.0.1:0",
                "KAFKA_COMMIT_INTERVAL_MS", "200",
                "KAFKA_MAX_TASK_IDLE_MS", "2000"));
        TopicCatalog catalog = TopicCatalog.of(prefix, 1, (short) 1);
        try (Admin admin = Admin.create(new KafkaClientSettings(base).admin())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        }
        produce(base, catalog, inputs());

        // When the first application id has processed everything
        List<String> first = runUntil(base.with(SliConfig.APPLICATION_ID, prefix + "sli-1"), catalog, 0, 0,
                out -> done(out));
        // and a fresh application id replays the same input
        int sliCount = (int) first.stream().filter(s -> s.startsWith("sli|")).count();
        int alertCount = first.size() - sliCount;
        List<String> second = runUntil(base.with(SliConfig.APPLICATION_ID, prefix + "sli-2"), catalog, sliCount, alertCount,
                out -> out.size() >= first.size());

        // Then both wrote the same records, byte for byte, in the same order
        assertThat(second).containsExactlyElementsOf(first);
        assertThat(first).anyMatch(s -> s.startsWith("alert|replay/sha256:c1|"));
    }

    /** Every input processed: one update of the global 28d value per counted entity, and the final alert states. */
    private boolean done(List<String> out) {
        return count(out, "sli|build_provenance_completeness/global/28d|") == 6
                && count(out, "sli|trace_correlation_rate/global/28d|") == 13
                && count(out, "sli|test_reproducibility_rate/global/28d|") == 2
                && count(out, "sli|replay_success_rate/global/28d|") == 2
                && count(out, "sli|drift_incidents/global/28d|") == 1
                && count(out, "alert|replay/sha256:c1|") == 2
                && count(out, "alert|rebuild/lib|") == 1
                && count(out, "alert|drift/payments/prod/eu-1|") == 1;
    }

    private static long count(List<String> out, String prefix) {
        return out.stream().filter(s -> s.startsWith(prefix)).count();
    }

    private List<SpecificRecord> inputs() {
        List<SpecificRecord> in = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            in.add(aBuild("b" + i, at(i)).setRecipeDigest(i % 3 == 0 ? null : Fixtures.SHA).build());
        }
        in.add(aBuild("b1", at(1)).build());
        for (int i = 0; i < 12; i++) {
            in.add(aRun("r" + i, at(2 + i)).setTraceId(i % 4 == 0 ? null : "t").build());
        }
        in.add(aRun("late", at(-30)).build());
        in.add(aTest("t1", "unit", "linux", TestOutcome.PASS, at(3)).build());
        in.add(aTest("t2", "unit", "mac", TestOutcome.FAIL, at(4)).build());
        in.add(aTest("t3", "it", "linux", TestOutcome.PASS, at(5)).build());
        in.add(aTest("t4", "it", "mac", TestOutcome.PASS, at(6)).build());
        in.add(aReplayVerdict("a", ReplayStatus.MISMATCH, at(7)).setCodeDigest("sha256:c1").setTimeToVerifyMs(60_000L).build());
        in.add(aReplayVerdict("b", ReplayStatus.MATCH, at(9)).setCodeDigest("sha256:c1").setTimeToVerifyMs(120_000L).build());
        in.add(aRebuildVerdict("lib", "c1", RebuildStatus.UNREPRODUCIBLE, at(8), 1, 1).build());
        in.add(aDrift("payments", "prod", DriftState.DRIFTED, "i1", at(5), at(10)).build());
        return in;
    }

    private void produce(ReproConfig config, TopicCatalog catalog, List<SpecificRecord> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new KafkaClientSettings(config).producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (SpecificRecord r : records) {
                TopicId topic = switch (r.getClass().getSimpleName()) {
                    case "BuildEvent" -> TopicId.BUILDS;
                    case "RunEvent" -> TopicId.RUNS;
                    case "TestEvent" -> TopicId.TESTS;
                    case "ReplayVerdict" -> TopicId.REPLAY_VERDICTS;
                    case "RebuildVerdict" -> TopicId.REBUILD_VERDICTS;
                    default -> TopicId.DRIFT;
                };
                producer.send(new ProducerRecord<>(catalog.name(topic), String.valueOf(SliTopology.eventId(r)),
                        serdes.serialize(r))).get();
            }
        }
    }

    /** Runs the app until {@code done} holds for its output (after the first {@code skip...} records), then closes it. */
    private List<String> runUntil(ReproConfig config, TopicCatalog catalog, int skipSli, int skipAlerts,
            Predicate<List<String>> done) throws Exception {
        List<String> out;
        try (SliAggregatorApp.Running app = new SliAggregatorApp().start(config)) {
            assertThat(app.awaitReady(Duration.ofSeconds(30))).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            do {
                out = read(config, catalog, skipSli, skipAlerts);
            } while (!done.test(out) && System.nanoTime() < deadline);
            assertThat(done.test(out)).as("output complete within 40 s: %s records", out.size()).isTrue();
        }
        return read(config, catalog, skipSli, skipAlerts);
    }

    /** The committed records of repro.sli then repro.alerts, as {@code topic|key|hex(value)}. */
    private List<String> read(ReproConfig config, TopicCatalog catalog, int skipSli, int skipAlerts) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(new KafkaClientSettings(config).consumer(null),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            for (TopicId id : List.of(TopicId.SLI, TopicId.ALERTS)) {
                TopicPartition tp = new TopicPartition(catalog.name(id), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                List<String> records = new ArrayList<>();
                while (consumer.position(tp) < end) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        String kind = id == TopicId.SLI ? "sli" : "alert";
                        // decode to be sure each value is a valid contract record of the topic's type
                        if (id == TopicId.SLI) {
                            serdes.deserialize(SliValue.class, r.value());
                        } else {
                            assertThat(serdes.deserialize(Alert.class, r.value()).getStatus()).isIn(AlertStatus.FIRING,
                                    AlertStatus.RESOLVED);
                        }
                        records.add(kind + "|" + r.key() + "|" + r.timestamp() + "|" + HexFormat.of().formatHex(r.value()));
                    }
                }
                int skip = id == TopicId.SLI ? skipSli : skipAlerts;
                out.addAll(records.subList(Math.min(skip, records.size()), records.size()));
            }
        }
        return out;
    }
}
