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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.DriftState;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestOutcome;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.testkit.ChildAppJvm;
import dev.repro.testkit.GroupProgress;
import dev.repro.testkit.GroupWork;
import dev.repro.testkit.KafkaBroker;
import dev.repro.testkit.KillAndRestart;
import dev.repro.testkit.OutputComparison;
import dev.repro.testkit.TestTopics;
import dev.repro.testkit.TopicSnapshot;
import dev.repro.testkit.TwoInstanceTakeover;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicSpec;

/**
 * The app on a real broker, with exactly-once: the same input replayed by a fresh application id,
 * by an aggregator killed mid-stream and restarted, and by two instances sharing the work of which
 * one stops mid-stream, gives output topics equal record for record (key, value bytes, timestamp).
 * On single-partition topics: with several, the order of the SLI updates and the alerts depends on
 * how the repartition topic interleaves the partitions' records (see the README's determinism
 * section).
 */
class SliAggregatorIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final List<TopicId> INPUTS = List.of(TopicId.BUILDS, TopicId.RUNS, TopicId.TESTS, TopicId.REBUILD_VERDICTS,
            TopicId.REPLAY_VERDICTS, TopicId.DRIFT);
    private static final List<TopicId> OUTPUTS = List.of(TopicId.SLI, TopicId.ALERTS);
    private static final List<String> REPARTITION_TOPICS = List.of("sli-updates-by-key-repartition");

    /**
     * The mixed input, and one undisturbed aggregator's output over it on topics of their own: made by
     * the first test that needs them, then produced again and compared against by every test of the
     * class.
     */
    private static Undisturbed undisturbedRun;

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();

    /** The mixed input, the undisturbed run's topics, and what it wrote to the SLI and alert topics. */
    private record Undisturbed(List<MixedInputs.Input> inputs, TopicCatalog catalog, TopicSnapshot output) {
    }

    /** The next run of the class (e.g. a rerun of a failed test) has a new broker: its baseline too. */
    @AfterAll
    static void forgetTheUndisturbedRun() {
        undisturbedRun = null;
    }

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
        // Every topic keeps every record. The outputs carry event times of 2026-11-20; a transaction
        // marker (wall-clock time) more than segment.ms (7 days) later rolls the segment, and on the
        // compacted production topics the log cleaner then removed superseded SLI updates while the
        // test was still counting them.
        TopicCatalog catalog = TopicCatalog.of(prefix, 1, (short) 1);
        TestTopics.createKeepingEveryRecord(clients().admin(), catalog.all().stream().map(TopicSpec::name).toList(), 1);
        produce(base, catalog, inputs());

        // When the first application id has processed everything
        TopicSnapshot first = runUntil(base.with(SliConfig.APPLICATION_ID, prefix + "sli-1"), catalog,
                out -> done(describe(out)));
        // and a fresh application id replays the same input
        TopicSnapshot second = runUntil(base.with(SliConfig.APPLICATION_ID, prefix + "sli-2"), catalog,
                out -> out.after(first).size() >= first.size()).after(first);

        // Then both wrote the same records, byte for byte, in the same order
        OutputComparison.assertSameRecords("the fresh application id", first, second, this::describe);
        assertThat(describe(first)).anyMatch(s -> s.startsWith("alert|replay/sha256:c1|"));
    }

    /**
     * The aggregator as a child JVM ({@code java -jar target/sli-aggregator.jar}) killed with SIGKILL
     * once it has committed a quarter of a few thousand mixed inputs, then started again: its SLI and
     * alert topics, read committed, equal those of an undisturbed aggregator, record for record.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameSlisAndAlertsAfterBeingKilledMidStreamAndRestarted() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog killed = catalogHolding(undisturbed.inputs());
        assertThat(undisturbed.output().records().map(r -> r.topic().endsWith(TopicId.ALERTS.suffix())
                ? serdes.deserialize(Alert.class, r.value()).getKind() + " " + serdes.deserialize(Alert.class, r.value()).getStatus()
                : "sli").distinct()).as("what the input makes the aggregator write").contains("sli",
                AlertKind.SLO_BURN + " " + AlertStatus.FIRING, AlertKind.SLO_BURN + " " + AlertStatus.RESOLVED,
                AlertKind.REPLAY_FAILED + " " + AlertStatus.FIRING, AlertKind.REPLAY_FAILED + " " + AlertStatus.RESOLVED,
                AlertKind.UNREPRODUCIBLE_BUILD + " " + AlertStatus.FIRING, AlertKind.DRIFT + " " + AlertStatus.RESOLVED);

        String applicationId = KAFKA.uniqueName("sli-killed");
        Map<String, String> env = settings(killed, applicationId, "killed", KillAndRestart.APP_SETTINGS);

        KillAndRestart.run(work(killed, applicationId, undisturbed), ChildAppJvm.moduleJar("sli-aggregator"), env, stateDir);

        assertSameOutput("after the kill", undisturbed, outputs(killed), killed);
    }

    /**
     * Two aggregators sharing the work (one application id; the input task and the two repartitioned
     * tasks split between them, each instance with its own state directory), the one running the input
     * task closed in the middle of a few thousand mixed inputs: the other takes over its tasks,
     * restoring their state from the changelogs, and the SLI and alert topics equal those of one
     * undisturbed aggregator, record for record. Both consume their input slowly (a few ms per record),
     * so that the close happens while input is left, on any machine.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameSlisAndAlertsWhenOneOfTwoInstancesStopsMidStream() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog shared = catalogHolding(undisturbed.inputs());
        String applicationId = KAFKA.uniqueName("sli-shared");
        ReproConfig config = ReproConfig.of(settings(shared, applicationId, "shared", TwoInstanceTakeover.APP_SETTINGS));

        // The instance reading partition 0 of the builds topic stops once it has committed some of its share
        TwoInstanceTakeover.of(work(shared, applicationId, undisturbed), name -> instance(config, name),
                        app -> app.state().isRunningOrRebalancing())
                .stopTheOneReading(new TopicPartition(shared.name(TopicId.BUILDS), 0));

        assertSameOutput("after one of two instances stopped", undisturbed, outputs(shared), shared);
    }

    /** {@code repro.sli} and {@code repro.alerts} record for record (key, value bytes, timestamp). */
    private void assertSameOutput(String what, Undisturbed expected, TopicSnapshot output, TopicCatalog catalog) {
        TopicSnapshot actual = output.renameTopics(name -> name.replace(catalog.prefix(), expected.catalog().prefix()));
        for (TopicId topic : OUTPUTS) {
            String name = expected.catalog().name(topic);
            OutputComparison.assertSameRecords(what, expected.output().topic(name), actual.topic(name), this::describe);
        }
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

    /** Runs the app until {@code done} holds for its output topics, then closes it; returns what they hold then. */
    private TopicSnapshot runUntil(ReproConfig config, TopicCatalog catalog, Predicate<TopicSnapshot> done) throws Exception {
        TopicSnapshot out;
        try (SliAggregatorApp.Running app = new SliAggregatorApp().start(config)) {
            assertThat(app.awaitReady(Duration.ofSeconds(30))).isTrue();
            // generous: on a loaded machine (two cores shared with other builds) the run took well over 40 s
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            do {
                out = outputs(catalog);
            } while (!done.test(out) && System.nanoTime() < deadline);
            assertThat(done.test(out)).as("output complete within 120 s: %s", out).isTrue();
        }
        return outputs(catalog);
    }

    /** The mixed input and the undisturbed run over it, made now if no test did before. */
    private Undisturbed undisturbed() throws Exception {
        if (undisturbedRun == null) {
            List<MixedInputs.Input> inputs = MixedInputs.of(serdes, 1);
            TopicCatalog calm = catalogHolding(inputs);
            undisturbedRun = new Undisturbed(inputs, calm, aggregate(calm, "undisturbed"));
        }
        return undisturbedRun;
    }

    /** A fresh catalog of single-partition topics, every topic created keeping every record. */
    private static TopicCatalog catalog() throws Exception {
        // the SLI and alert topics are compacted in production, but runs are compared record for record
        TopicCatalog catalog = TopicCatalog.of(KAFKA.uniquePrefix(), 1, (short) 1);
        TestTopics.createKeepingEveryRecord(clients().admin(), catalog.all().stream().map(TopicSpec::name).toList(), 1);
        return catalog;
    }

    /** A fresh {@link #catalog()} with {@code inputs} produced to its topics. */
    private static TopicCatalog catalogHolding(List<MixedInputs.Input> inputs) throws Exception {
        TopicCatalog catalog = catalog();
        produce(catalog, inputs);
        return catalog;
    }

    /**
     * The repro settings of an app of {@code applicationId} on the topics of {@code catalog} with its state under
     * {@code stateSubDir}, and {@code more}.
     */
    private Map<String, String> settings(TopicCatalog catalog, String applicationId, String stateSubDir, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, catalog.prefix(), ReproConfig.TOPIC_PARTITIONS, "1",
                StreamsAppRunner.STATE_DIR, stateDir.resolve(stateSubDir).toString(), SliConfig.BIND, "127.0.0.1:0"));
        settings.put(SliConfig.APPLICATION_ID, applicationId);
        settings.putAll(more);
        return settings;
    }

    private static KafkaClientSettings clients() {
        return new KafkaClientSettings(ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())));
    }

    /** An in-process aggregator of {@code config} whose client id (and state directory) is {@code name}; RUNNING. */
    private SliAggregatorApp.Running instance(ReproConfig config, String name) throws Exception {
        SliAggregatorApp.Running app = new SliAggregatorApp().start(config.with("KAFKA_CLIENT_ID", name)
                .with(StreamsAppRunner.STATE_DIR, stateDir.resolve(name).toString()));
        assertThat(app.awaitReady(Duration.ofSeconds(60))).as(name + " reaches RUNNING").isTrue();
        return app;
    }

    /** Aggregates the input of {@code catalog} with a fresh application id, in process, until caught up; returns the output. */
    private TopicSnapshot aggregate(TopicCatalog catalog, String run) throws Exception {
        String applicationId = KAFKA.uniqueName("sli-" + run);
        ReproConfig config = ReproConfig.of(settings(catalog, applicationId, run, Map.of()));
        try (GroupProgress progress = new GroupProgress(clients().admin(), applicationId);
             SliAggregatorApp.Running app = new SliAggregatorApp().start(config)) {
            assertThat(app.awaitReady(Duration.ofSeconds(60))).as(run + " aggregator reaches RUNNING").isTrue();
            awaitCaughtUp(progress, catalog, applicationId);
        }
        return outputs(catalog);
    }

    /** What the aggregator of {@code applicationId} has to do on the topics of {@code catalog}: all of the undisturbed run's input. */
    private static GroupWork work(TopicCatalog catalog, String applicationId, Undisturbed undisturbed) {
        return new GroupWork(clients().admin(), applicationId, names(catalog, INPUTS), undisturbed.inputs().size(),
                progress -> awaitCaughtUp(progress, catalog, applicationId));
    }

    /**
     * Waits until the app has committed past every input record, then past every record of its
     * repartition topics (with exactly-once, all the output is committed then).
     */
    private static void awaitCaughtUp(GroupProgress progress, TopicCatalog catalog, String applicationId) throws Exception {
        progress.awaitCaughtUp(names(catalog, INPUTS), Duration.ofSeconds(120));
        progress.awaitCaughtUp(REPARTITION_TOPICS.stream().map(topic -> applicationId + "-" + topic).toList(),
                Duration.ofSeconds(60));
    }

    private static TopicSnapshot outputs(TopicCatalog catalog) {
        return TopicSnapshot.read(clients().consumer(null), names(catalog, OUTPUTS), Duration.ofSeconds(30));
    }

    private static List<String> names(TopicCatalog catalog, List<TopicId> ids) {
        return ids.stream().map(catalog::name).toList();
    }

    private static void produce(TopicCatalog catalog, List<MixedInputs.Input> inputs) throws Exception {
        TestTopics.produce(clients().producer(), inputs.stream().map(in -> new ProducerRecord<>(catalog.name(in.topic()),
                in.partition(), in.time(), in.key(), in.value())).toList());
    }

    /**
     * The records as {@code sli|key|timestamp|good/total value} or {@code alert|key|timestamp|status count},
     * each value decoded as its topic's type.
     */
    private List<String> describe(TopicSnapshot snapshot) {
        return snapshot.records().map(this::describe).toList();
    }

    private String describe(ConsumerRecord<String, byte[]> r) {
        if (r.topic().endsWith(TopicId.SLI.suffix())) {
            SliValue value = serdes.deserialize(SliValue.class, r.value());
            return "sli|" + r.key() + "|" + r.timestamp() + "|" + value.getGood() + "/" + value.getTotal() + " " + value.getValue();
        }
        Alert alert = serdes.deserialize(Alert.class, r.value());
        assertThat(alert.getStatus()).isIn(AlertStatus.FIRING, AlertStatus.RESOLVED);
        return "alert|" + r.key() + "|" + r.timestamp() + "|" + alert.getStatus() + " " + alert.getCount();
    }
}
