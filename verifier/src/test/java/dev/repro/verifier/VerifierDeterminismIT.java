package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.aBuild;
import static dev.repro.verifier.Fixtures.aRun;
import static dev.repro.verifier.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
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
import dev.repro.topics.ArtifactPartitioner;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicSpec;

/**
 * On a real broker, with exactly-once: a few thousand mixed builds and runs (out of order,
 * duplicated, poisoned, replays before originals, replays without originals), verified by an
 * undisturbed verifier, then again by a fresh application id, by a verifier killed mid-stream and
 * restarted, and by two instances sharing the work of which one stops mid-stream. Each verdict topic
 * partition must hold the same records every time, key, value bytes and timestamp alike.
 */
class VerifierDeterminismIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final int PARTITIONS = 3;
    private static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");
    private static final List<TopicId> INPUTS = List.of(TopicId.BUILDS, TopicId.RUNS);
    private static final List<TopicId> OUTPUTS = List.of(TopicId.REBUILD_VERDICTS, TopicId.REPLAY_VERDICTS);

    /**
     * The input, and one undisturbed verifier's verdicts over it on topics of their own: made by the
     * first test that needs them, then produced again and compared against by every test of the class.
     */
    private static Undisturbed undisturbedRun;

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();
    private final SplittableRandom random = new SplittableRandom(20260201L);

    /** One input record: its topic, its partition (null: by key, as the default partitioner does), key and value. */
    private record Input(TopicId topic, Integer partition, String key, byte[] value) {
    }

    /** The input (how many distinct builds and replays it holds), the undisturbed run's topics, and the verdicts it wrote. */
    private record Undisturbed(List<Input> inputs, int distinctBuilds, int distinctReplays, TopicCatalog catalog,
            TopicSnapshot verdicts) {
    }

    /** The next run of the class (e.g. a rerun of a failed test) has a new broker: its baseline too. */
    @AfterAll
    static void forgetTheUndisturbedRun() {
        undisturbedRun = null;
    }

    @Test
    void shouldWriteTheSameVerdictsRecordForRecordWhenTheSameInputIsVerifiedAgain() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog catalog = undisturbed.catalog();
        TopicSnapshot first = undisturbed.verdicts();

        TopicSnapshot second = verify(catalog, "fresh").after(first);

        OutputComparison.assertSameRecords("a fresh application id", first, second, this::describe);
        List<RebuildStatus> rebuildStatuses = first.values(catalog.name(TopicId.REBUILD_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(RebuildVerdict.class, bytes).getStatus()).toList();
        List<ReplayStatus> replayStatuses = first.values(catalog.name(TopicId.REPLAY_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(ReplayVerdict.class, bytes).getStatus()).toList();
        assertThat(rebuildStatuses).as("one rebuild verdict per distinct build").hasSize(undisturbed.distinctBuilds())
                .contains(RebuildStatus.values());
        assertThat(replayStatuses).as("at least one verdict per distinct replay").hasSizeGreaterThanOrEqualTo(undisturbed.distinctReplays())
                .contains(ReplayStatus.values());
        assertThat(first.values(catalog.name(TopicId.REPLAY_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(ReplayVerdict.class, bytes).getReplayEventId()).distinct())
                .as("every distinct replay judged").hasSize(undisturbed.distinctReplays());
        assertThat(first.values(catalog.name(TopicId.REBUILD_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(RebuildVerdict.class, bytes)).filter(RebuildVerdict::getRegression))
                .isNotEmpty();
    }

    /**
     * The verifier as a child JVM ({@code java -jar target/verifier.jar}) killed with SIGKILL once it
     * has committed a quarter of the input, then started again: its verdict topics, read committed,
     * equal those of an undisturbed verifier over the same input, record for record.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameVerdictsAfterBeingKilledMidStreamAndRestarted() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog killed = catalogHolding(undisturbed.inputs());
        String applicationId = KAFKA.uniqueName("verifier-killed");
        Map<String, String> env = settings(killed, applicationId, "killed", KillAndRestart.APP_SETTINGS);

        KillAndRestart.run(work(killed, applicationId, undisturbed), ChildAppJvm.moduleJar("verifier"), env, stateDir);

        assertSameVerdicts("after the kill", undisturbed, killed);
    }

    /**
     * Two verifiers sharing the work (one application id, the input partitions split between them,
     * each with its own state directory), one of them closed in the middle of the input: the other
     * takes over its partitions, restoring their state from the changelogs, and the verdict topics
     * equal those of one undisturbed verifier, record for record. Both consume slowly (a few ms per
     * record), so that the close happens while input is left, on any machine.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameVerdictsWhenOneOfTwoInstancesStopsMidStream() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog shared = catalogHolding(undisturbed.inputs());
        String applicationId = KAFKA.uniqueName("verifier-shared");
        ReproConfig config = ReproConfig.of(settings(shared, applicationId, "shared", TwoInstanceTakeover.APP_SETTINGS));

        // The instance reading partition 0 of the builds topic stops once it has committed some of its share
        TwoInstanceTakeover.of(work(shared, applicationId, undisturbed), name -> instance(config, name),
                        app -> app.state().isRunningOrRebalancing())
                .stopTheOneReading(new TopicPartition(shared.name(TopicId.BUILDS), 0));

        assertSameVerdicts("after one of two instances stopped", undisturbed, shared);
    }

    /** The input and the undisturbed run over it, made now if no test did before. */
    private Undisturbed undisturbed() throws Exception {
        if (undisturbedRun == null) {
            List<Input> inputs = new ArrayList<>();
            int distinctBuilds = builds(inputs);
            int distinctReplays = runs(inputs);
            TopicCatalog calm = catalogHolding(inputs);
            undisturbedRun = new Undisturbed(List.copyOf(inputs), distinctBuilds, distinctReplays, calm, verify(calm, "undisturbed"));
        }
        return undisturbedRun;
    }

    /** A fresh catalog of {@value #PARTITIONS} partitions per topic, every topic created keeping every record. */
    private TopicCatalog catalog() throws Exception {
        // the verdict topics are compacted in production and the event topics expire after 7 days of
        // record time, but these records carry event times of 2026-02, and runs are compared record for record
        TopicCatalog catalog = TopicCatalog.of(KAFKA.uniquePrefix(), PARTITIONS, (short) 1);
        TestTopics.createKeepingEveryRecord(clients().admin(), catalog.all().stream().map(TopicSpec::name).toList(), PARTITIONS);
        return catalog;
    }

    /** A fresh {@link #catalog()} with {@code inputs} produced to its topics. */
    private TopicCatalog catalogHolding(List<Input> inputs) throws Exception {
        TopicCatalog catalog = catalog();
        produce(clients(), catalog, inputs);
        return catalog;
    }

    /**
     * The repro settings of an app of {@code applicationId} on the topics of {@code catalog} with its state under
     * {@code stateSubDir}, and {@code more}.
     */
    private Map<String, String> settings(TopicCatalog catalog, String applicationId, String stateSubDir, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, catalog.prefix(), ReproConfig.TOPIC_PARTITIONS, String.valueOf(PARTITIONS),
                StreamsAppRunner.STATE_DIR, stateDir.resolve(stateSubDir).toString()));
        settings.put(VerifierConfig.APPLICATION_ID, applicationId);
        settings.putAll(more);
        return settings;
    }

    private static KafkaClientSettings clients() {
        return new KafkaClientSettings(ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())));
    }

    /** An in-process verifier of {@code config} whose client id (and state directory) is {@code name}; RUNNING. */
    private StreamsAppRunner instance(ReproConfig config, String name) throws Exception {
        StreamsAppRunner app = new VerifierApp().start(config.with("KAFKA_CLIENT_ID", name)
                .with(StreamsAppRunner.STATE_DIR, stateDir.resolve(name).toString()));
        assertThat(app.awaitReady(Duration.ofSeconds(60))).as(name + " reaches RUNNING").isTrue();
        return app;
    }

    /** Verifies the input of {@code catalog} with a fresh application id, in process, until caught up; returns the verdicts. */
    private TopicSnapshot verify(TopicCatalog catalog, String run) throws Exception {
        String applicationId = KAFKA.uniqueName("verifier-" + run);
        KafkaClientSettings clients = clients();
        ReproConfig config = ReproConfig.of(settings(catalog, applicationId, run, Map.of()));
        try (GroupProgress progress = new GroupProgress(clients.admin(), applicationId);
             StreamsAppRunner app = new VerifierApp().start(config)) {
            assertThat(app.awaitReady(Duration.ofSeconds(60))).as(run + " verifier reaches RUNNING").isTrue();
            progress.awaitCaughtUp(names(catalog, INPUTS), Duration.ofSeconds(90));
        }
        return TopicSnapshot.read(clients.consumer(null), names(catalog, OUTPUTS), Duration.ofSeconds(30));
    }

    /** What the verifier of {@code applicationId} has to do on the topics of {@code catalog}: all of the undisturbed run's input. */
    private static GroupWork work(TopicCatalog catalog, String applicationId, Undisturbed undisturbed) {
        List<String> inputTopics = names(catalog, INPUTS);
        return new GroupWork(clients().admin(), applicationId, inputTopics, undisturbed.inputs().size(),
                progress -> progress.awaitCaughtUp(inputTopics, Duration.ofSeconds(120)));
    }

    /** The verdict topics of {@code catalog}, read committed, hold exactly the undisturbed run's verdicts, record for record. */
    private void assertSameVerdicts(String what, Undisturbed undisturbed, TopicCatalog catalog) {
        TopicSnapshot actual = TopicSnapshot.read(clients().consumer(null), names(catalog, OUTPUTS), Duration.ofSeconds(30));
        OutputComparison.assertSameRecords(what, undisturbed.verdicts(),
                actual.renameTopics(name -> name.replace(catalog.prefix(), undisturbed.catalog().prefix())), this::describe);
    }

    private static List<String> names(TopicCatalog catalog, List<TopicId> ids) {
        return ids.stream().map(catalog::name).toList();
    }

    /** Builds of 100 artifacts, 3 recipes each; returns how many distinct builds were sent. */
    private int builds(List<Input> inputs) {
        List<BuildEvent> builds = new ArrayList<>();
        for (int a = 0; a < 100; a++) {
            for (int c = 0; c < 3; c++) {
                String commit = String.format("%040x", a * 10 + c + 1);
                boolean reproducible = random.nextInt(10) < 6;
                int n = 2 + random.nextInt(4);
                for (int b = 0; b < n; b++) {
                    Fixtures.BuildBuilder build = aBuild().withId("b-" + a + "-" + c + "-" + b)
                            .withArtifact("registry.example/app-" + a).withCommit(commit)
                            .withRecipe(c == 2 ? null : digest(100_000 + a * 10 + c))
                            .at(BASE.plusSeconds(3600L * c + 60L * a + b))
                            .withDigest(digest(a * 10 + c))
                            .rebuildOf(b == 0 ? null : "b-" + a + "-" + c + "-0");
                    if (!reproducible && b % 2 == 1) {
                        build.withDigest(digest(500_000 + a * 10 + c)).withoutEnv("SOURCE_DATE_EPOCH")
                                .withEnv("TZ", "Europe/Paris");
                    }
                    if (random.nextInt(20) == 0) {
                        build.withOutcome(BuildOutcome.ERROR);
                    }
                    builds.add(build.build());
                }
            }
        }
        shuffleLocally(builds);
        int distinct = builds.size();
        List<BuildEvent> withDuplicates = new ArrayList<>(builds);
        for (int i = 0; i < builds.size(); i += 17) {
            withDuplicates.add(Math.min(withDuplicates.size(), i + 40), builds.get(i));
        }
        TopicId topic = TopicId.BUILDS;
        for (int i = 0; i < withDuplicates.size(); i++) {
            BuildEvent build = withDuplicates.get(i);
            String key = RecipeKey.of(build).toString();
            inputs.add(new Input(topic, ArtifactPartitioner.partition(key, PARTITIONS), key, serdes.serialize(build)));
            if (i % 500 == 0) {
                inputs.add(new Input(topic, ArtifactPartitioner.partition(key, PARTITIONS), key,
                        ("poison " + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return distinct;
    }

    /** Runs of 500 originals with their replays; returns how many distinct replays were sent. */
    private int runs(List<Input> inputs) {
        TopicId topic = TopicId.RUNS;
        List<RunEvent> events = new ArrayList<>();
        Set<RunEvent> replays = new HashSet<>();
        long t = 0;
        for (int r = 0; r < 500; r++) {
            String runId = "run-" + r;
            Fixtures.RunBuilder original = aRun().withId("o-" + r).withRunId(runId).at(BASE.plusSeconds(t))
                    .withMetric("accuracy", 0.9).withTolerance("accuracy", 0.01);
            List<RunEvent> group = new ArrayList<>();
            int shape = random.nextInt(10);
            int replayCount = 1 + random.nextInt(2);
            for (int p = 0; p < replayCount; p++) {
                Fixtures.RunBuilder replay = aRun().withId("rp-" + r + "-" + p).withRunId(runId + "-replay-" + p)
                        .replayOf(runId).at(BASE.plusSeconds(t + 5 + p)).withMetric("accuracy", 0.9 + random.nextInt(3) * 0.008)
                        .withTolerance("accuracy", 0.01);
                switch (random.nextInt(6)) {
                    case 0 -> replay.withOutput("model", digest(9_000 + r));
                    case 1 -> replay.withOutput("model", digest(9_000 + r)).withSeed("7").withCode(digest(77)).withMetric("accuracy", 0.5);
                    case 2 -> replay.withOutput("model", digest(9_000 + r)).withInput("dataset", null).withMetric("accuracy", 0.5);
                    case 3 -> replay.failed();
                    default -> { }
                }
                group.add(replay.build());
            }
            replays.addAll(group);
            if (shape < 6) {
                group.add(0, original.build());
            } else if (shape < 8) {
                group.add(original.build());
            }
            events.addAll(group);
            t += 4;
        }
        for (RunEvent event : events) {
            inputs.add(new Input(topic, null, event.getReplayOf() != null ? event.getReplayOf() : event.getRunId(),
                    serdes.serialize(event)));
            if (event.getId().endsWith("-0") && event.getRunId().hashCode() % 11 == 0) {
                inputs.add(new Input(topic, null, event.getReplayOf(), serdes.serialize(event)));
            }
        }
        inputs.add(new Input(topic, null, "run-0", Arrays.copyOf(serdes.serialize(events.get(0)), 12)));
        for (int p = 0; p < PARTITIONS; p++) {
            RunEvent closing = aRun().withId("closing-" + p).withRunId("closing-" + p).at(BASE.plus(Duration.ofDays(1))).build();
            inputs.add(new Input(topic, p, "closing-" + p, serdes.serialize(closing)));
        }
        return replays.size();
    }

    /** Moves each build a few places away, so builds arrive out of event-time order. */
    private void shuffleLocally(List<BuildEvent> builds) {
        for (int i = 0; i + 1 < builds.size(); i++) {
            int j = Math.min(builds.size() - 1, i + random.nextInt(8));
            BuildEvent x = builds.get(i);
            builds.set(i, builds.get(j));
            builds.set(j, x);
        }
    }

    private static void produce(KafkaClientSettings clients, TopicCatalog catalog, List<Input> inputs) throws Exception {
        TestTopics.produce(clients.producer(), inputs.stream()
                .map(in -> new ProducerRecord<>(catalog.name(in.topic()), in.partition(), in.key(), in.value())).toList());
    }

    private String describe(ConsumerRecord<String, byte[]> r) {
        if (r.topic().endsWith(TopicId.REPLAY_VERDICTS.suffix())) {
            ReplayVerdict verdict = serdes.deserialize(ReplayVerdict.class, r.value());
            return r.key() + " " + r.timestamp() + " " + verdict.getStatus() + " " + verdict.getReplayRunId();
        }
        return r.key() + " " + r.timestamp() + " " + serdes.deserialize(RebuildVerdict.class, r.value()).getStatus();
    }
}
