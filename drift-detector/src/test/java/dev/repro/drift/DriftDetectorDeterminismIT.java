package dev.repro.drift;

import static dev.repro.drift.Fixtures.aDeployment;
import static dev.repro.drift.Fixtures.aDesiredState;
import static dev.repro.drift.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
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
import dev.repro.topics.EnvironmentPartitioner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicSpec;

/**
 * On a real broker, with exactly-once: a few thousand desired states and deployments of 80
 * service environments (rollouts that converge, lag or never finish, with and without desired
 * state; hotfixes, mutable tags, config changes, per-cluster overrides, removed desired states;
 * periodic observations; out of order, duplicated, poisoned), judged by an undisturbed drift
 * detector, then again by a fresh application id, by a drift detector killed mid-stream and
 * restarted, and by two instances sharing the work of which one stops mid-stream. Each partition of
 * the drift topic must hold the same records every time, key, value bytes and timestamp alike.
 */
class DriftDetectorDeterminismIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final int PARTITIONS = 3;
    private static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");
    private static final List<String> CLUSTERS = List.of("eu-1", "eu-2", "us-1");
    private static final List<TopicId> INPUTS = List.of(TopicId.DESIRED, TopicId.DEPLOYMENTS);

    /**
     * The input, and one undisturbed drift detector's statuses over it on topics of their own: made by
     * the first test that needs them, then produced again and compared against by every test of the
     * class.
     */
    private static Undisturbed undisturbedRun;

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();
    private final SplittableRandom random = new SplittableRandom(20260201L);
    private final Set<Long> usedTimes = new HashSet<>();

    /** One record to produce, at its event time (the tombstones' only time). */
    private record Input(TopicId topic, String key, byte[] value, long time) {
    }

    /** The input, the undisturbed run's topics, and the statuses it wrote. */
    private record Undisturbed(List<Input> inputs, TopicCatalog catalog, TopicSnapshot statuses) {
    }

    /** The next run of the class (e.g. a rerun of a failed test) has a new broker: its baseline too. */
    @AfterAll
    static void forgetTheUndisturbedRun() {
        undisturbedRun = null;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameStatusesRecordForRecordWhenTheSameInputIsJudgedAgain() throws Exception {
        Undisturbed undisturbed = undisturbed();
        assertThat(undisturbed.inputs().size()).as("records to produce").isGreaterThan(3000);
        TopicSnapshot first = undisturbed.statuses();

        TopicSnapshot second = judge(undisturbed.catalog(), "fresh").after(first);

        assertThat(first.partitions()).hasSize(PARTITIONS)
                .allSatisfy(tp -> assertThat(first.records(tp)).as(tp + " has statuses").isNotEmpty());
        OutputComparison.assertSameRecords("a fresh application id", first, second, this::describe);
        first.records().forEach(r -> assertThat(EnvironmentPartitioner.partition(r.key(), PARTITIONS)).as(r.key() + " partition")
                .isEqualTo(r.partition()));

        List<DriftStatus> statuses = first.records().map(r -> serdes.deserialize(DriftStatus.class, r.value())).toList();
        assertThat(statuses).extracting(DriftStatus::getStatus).contains(DriftState.values());
        assertThat(statuses).flatExtracting(DriftStatus::getReasons).contains(DriftReason.ARTIFACT_MISMATCH,
                DriftReason.CONFIG_MISMATCH, DriftReason.MUTABLE_REFERENCE, DriftReason.CROSS_CLUSTER_MISMATCH);
        Set<String> opened = new HashSet<>();
        statuses.stream().map(DriftStatus::getIncidentId).filter(Objects::nonNull).forEach(opened::add);
        List<DriftStatus> closing = statuses.stream().filter(s -> s.getClosedIncidentId() != null).toList();
        assertThat(closing).as("incidents closed").isNotEmpty()
                .allSatisfy(s -> {
                    assertThat(opened).contains(s.getClosedIncidentId());
                    assertThat(s.getClosedIncidentDurationMs()).as("out of order within the grace opens no incident for nothing")
                            .isPositive();
                });
    }

    /**
     * The drift detector as a child JVM ({@code java -jar target/drift-detector.jar}) killed with
     * SIGKILL once it has committed a quarter of the input, then started again: the drift topic, read
     * committed, equals that of an undisturbed drift detector over the same input, record for record.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameStatusesAfterBeingKilledMidStreamAndRestarted() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog killed = catalogHolding(undisturbed.inputs());
        String applicationId = KAFKA.uniqueName("drift-killed");
        Map<String, String> env = settings(killed, applicationId, "killed", KillAndRestart.APP_SETTINGS);

        KillAndRestart.run(work(killed, applicationId, undisturbed), ChildAppJvm.moduleJar("drift-detector"), env, stateDir);

        assertSameStatuses("after the kill", undisturbed, killed);
    }

    /**
     * Two drift detectors sharing the work (one application id, the partitions split between them,
     * each with its own state directory), one of them closed in the middle of the input: the other
     * takes over its partitions, restoring their state from the changelog, and the drift topic equals
     * that of one undisturbed drift detector, record for record. Both consume slowly (a few ms per
     * record), so that the close happens while input is left, on any machine.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameStatusesWhenOneOfTwoInstancesStopsMidStream() throws Exception {
        Undisturbed undisturbed = undisturbed();
        TopicCatalog shared = catalogHolding(undisturbed.inputs());
        String applicationId = KAFKA.uniqueName("drift-shared");
        ReproConfig config = ReproConfig.of(settings(shared, applicationId, "shared", TwoInstanceTakeover.APP_SETTINGS));

        // The instance reading partition 0 of the deployments topic stops once it has committed some of its share
        TwoInstanceTakeover.of(work(shared, applicationId, undisturbed), name -> instance(config, name),
                        app -> app.state().isRunningOrRebalancing())
                .stopTheOneReading(new TopicPartition(shared.name(TopicId.DEPLOYMENTS), 0));

        assertSameStatuses("after one of two instances stopped", undisturbed, shared);
    }

    /** The input and the undisturbed run over it, made now if no test did before. */
    private Undisturbed undisturbed() throws Exception {
        if (undisturbedRun == null) {
            List<Input> inputs = inputs();
            TopicCatalog calm = catalogHolding(inputs);
            undisturbedRun = new Undisturbed(List.copyOf(inputs), calm, judge(calm, "undisturbed"));
        }
        return undisturbedRun;
    }

    /** A fresh catalog of {@value #PARTITIONS} partitions per topic, every topic created keeping every record. */
    private static TopicCatalog catalog() throws Exception {
        // the drift and desired topics are compacted in production, but runs are compared record for record
        TopicCatalog catalog = TopicCatalog.of(KAFKA.uniquePrefix(), PARTITIONS, (short) 1);
        TestTopics.createKeepingEveryRecord(clients().admin(), catalog.all().stream().map(TopicSpec::name).toList(), PARTITIONS);
        return catalog;
    }

    /** A fresh {@link #catalog()} with {@code inputs} produced to its topics. */
    private static TopicCatalog catalogHolding(List<Input> inputs) throws Exception {
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
        settings.put(DriftConfig.APPLICATION_ID, applicationId);
        settings.putAll(more);
        return settings;
    }

    private static KafkaClientSettings clients() {
        return new KafkaClientSettings(ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers())));
    }

    /** An in-process drift detector of {@code config} whose client id (and state directory) is {@code name}; RUNNING. */
    private StreamsAppRunner instance(ReproConfig config, String name) throws Exception {
        StreamsAppRunner app = new DriftDetectorApp().start(config.with("KAFKA_CLIENT_ID", name)
                .with(StreamsAppRunner.STATE_DIR, stateDir.resolve(name).toString()));
        assertThat(app.awaitReady(Duration.ofSeconds(60))).as(name + " reaches RUNNING").isTrue();
        return app;
    }

    /** Judges the input of {@code catalog} with a fresh application id, in process, until caught up; returns the statuses. */
    private TopicSnapshot judge(TopicCatalog catalog, String run) throws Exception {
        String applicationId = KAFKA.uniqueName("drift-" + run);
        KafkaClientSettings clients = clients();
        ReproConfig config = ReproConfig.of(settings(catalog, applicationId, run, Map.of()));
        try (GroupProgress progress = new GroupProgress(clients.admin(), applicationId);
             StreamsAppRunner app = new DriftDetectorApp().start(config)) {
            assertThat(app.awaitReady(Duration.ofSeconds(60))).as(run + " drift detector reaches RUNNING").isTrue();
            progress.awaitCaughtUp(names(catalog, INPUTS), Duration.ofSeconds(120));
        }
        return TopicSnapshot.read(clients.consumer(null), List.of(catalog.name(TopicId.DRIFT)), Duration.ofSeconds(30));
    }

    /** What the drift detector of {@code applicationId} has to do on the topics of {@code catalog}: all of the undisturbed run's input. */
    private static GroupWork work(TopicCatalog catalog, String applicationId, Undisturbed undisturbed) {
        List<String> inputTopics = names(catalog, INPUTS);
        return new GroupWork(clients().admin(), applicationId, inputTopics, undisturbed.inputs().size(),
                progress -> progress.awaitCaughtUp(inputTopics, Duration.ofSeconds(120)));
    }

    /** The drift topic of {@code catalog}, read committed, holds exactly the undisturbed run's statuses, record for record. */
    private void assertSameStatuses(String what, Undisturbed undisturbed, TopicCatalog catalog) {
        TopicSnapshot actual = TopicSnapshot.read(clients().consumer(null), List.of(catalog.name(TopicId.DRIFT)), Duration.ofSeconds(30));
        OutputComparison.assertSameRecords(what, undisturbed.statuses(),
                actual.renameTopics(name -> name.replace(catalog.prefix(), undisturbed.catalog().prefix())), this::describe);
    }

    private static List<String> names(TopicCatalog catalog, List<TopicId> ids) {
        return ids.stream().map(catalog::name).toList();
    }

    /**
     * 80 service environments, each an hour long and starting 3 minutes after the previous: desired
     * states first, then deployments, each topic in its arrival order, then a closing deployment per
     * partition.
     */
    private List<Input> inputs() {
        List<Input> desired = new ArrayList<>();
        List<Input> deployments = new ArrayList<>();
        int environments = 0;
        for (int s = 0; s < 40; s++) {
            for (String environment : List.of("prod", "staging")) {
                Instant start = BASE.plus(Duration.ofMinutes(3L * environments++));
                environment("svc-" + s, environment, start, desired, deployments);
            }
        }
        List<Input> inputs = new ArrayList<>(arrivalOrder(desired));
        inputs.addAll(arrivalOrder(deployments));
        inputs.addAll(closingDeployments());
        return inputs;
    }

    /** What a deploy puts in a cluster: an artifact by digest, or a mutable tag; and a config. */
    private record Release(String artifact, String tag, String config) {

        Fixtures.DeploymentBuilder deployment(String service, String environment, String cluster) {
            Fixtures.DeploymentBuilder deployment = aDeployment().forService(service).inEnvironment(environment)
                    .inCluster(cluster).withConfig(config);
            return artifact != null ? deployment.withArtifact(artifact) : deployment.byTag(tag);
        }
    }

    /**
     * One service environment over an hour from {@code start}: three clusters, a desired state
     * (for four in five), a first release, observations every 5 minutes, then a second release
     * that converges, lags or leaves a cluster behind; sometimes a hotfix, a mutable tag, a config
     * change, a per-cluster override or the desired state removed.
     */
    private void environment(String service, String environment, Instant start, List<Input> desired, List<Input> deployments) {
        boolean declared = random.nextInt(5) > 0;
        String v1 = digest(random.nextInt(1_000_000));
        String v2 = digest(1_000_000 + random.nextInt(1_000_000));
        String config = random.nextInt(4) == 0 ? digest(2_000_000 + random.nextInt(1000)) : null;
        Map<String, NavigableMap<Long, Release>> releases = new TreeMap<>();
        CLUSTERS.forEach(c -> releases.put(c, new TreeMap<>()));
        Fixtures.DesiredBuilder declaration = aDesiredState().forService(service).inEnvironment(environment).withConfig(config);

        if (declared) {
            desired.add(desired(declaration.withArtifact(v1), start, 0));
        }
        for (int i = 0; i < CLUSTERS.size(); i++) {
            releases.get(CLUSTERS.get(i)).put(1L + i, new Release(v1, null, config));
        }
        if (declared && random.nextInt(10) == 0) {
            String canary = digest(3_000_000 + random.nextInt(1000));
            desired.add(desired(aDesiredState().forService(service).inEnvironment(environment).forCluster("us-1")
                    .withArtifact(canary).withConfig(config), start, 5));
            releases.get("us-1").put(6L, new Release(canary, null, config));
        }
        if (declared) {
            desired.add(desired(declaration.withId("v2-" + service + "-" + environment).withArtifact(v2), start, 20));
        }
        releases.get("eu-1").put(22L, new Release(v2, null, config));
        releases.get("eu-2").put(24L, new Release(v2, null, config));
        switch (random.nextInt(4)) {
            case 0 -> releases.get("us-1").put(41L, new Release(v2, null, config));
            case 1, 2 -> releases.get("us-1").put(26L, new Release(v2, null, config));
            default -> { }
        }
        if (declared && config != null && random.nextInt(2) == 0) {
            desired.add(desired(declaration.withId("config-" + service + "-" + environment)
                    .withConfig(digest(2_500_000 + random.nextInt(1000))), start, 30));
        }
        if (random.nextInt(6) == 0) {
            releases.get("eu-1").put(45L, new Release(digest(4_000_000 + random.nextInt(1000)), null, config));
            releases.get("eu-1").put(50L, new Release(v2, null, config));
        }
        if (random.nextInt(8) == 0) {
            releases.get("eu-2").put(47L, new Release(null, "latest", config));
        }
        if (declared && random.nextInt(10) == 0) {
            desired.add(new Input(TopicId.DESIRED, service + "/" + environment, null, eventTime(start, 55)));
        }
        releases.forEach((cluster, history) -> {
            history.forEach((minute, release) -> deployments.add(deployment(release.deployment(service, environment, cluster)
                    .at(Instant.ofEpochMilli(eventTime(start, minute))))));
            for (long minute = 5; minute <= 60; minute += 5) {
                deployments.add(deployment(history.floorEntry(minute).getValue().deployment(service, environment, cluster)
                        .withSource("https://k8s.example/observer").observed()
                        .at(Instant.ofEpochMilli(eventTime(start, minute + 0.5)))));
            }
        });
    }

    private Input desired(Fixtures.DesiredBuilder state, Instant start, long minute) {
        long time = eventTime(start, minute);
        return new Input(TopicId.DESIRED, state.key(), serdes.serialize(state.at(Instant.ofEpochMilli(time)).build()),
                time);
    }

    private Input deployment(Fixtures.DeploymentBuilder deployment) {
        DeploymentEvent event = deployment.build();
        return new Input(TopicId.DEPLOYMENTS, deployment.key(), serdes.serialize(event),
                event.getTime().toEpochMilli());
    }

    /**
     * {@code start} plus {@code minutes}, moved on by a millisecond until no other event has it: the
     * two input topics are merged by event time, and two records of the same millisecond on both
     * could be merged in either order (see the README's determinism section).
     */
    private long eventTime(Instant start, double minutes) {
        long time = start.toEpochMilli() + Math.round(minutes * 60_000);
        while (!usedTimes.add(time)) {
            time++;
        }
        return time;
    }

    /**
     * The order records reach a topic: by event time, each up to two minutes late (out of order,
     * within the grace), every 17th sent again five minutes later (a duplicate), and a poison
     * record every 500.
     */
    private List<Input> arrivalOrder(List<Input> records) {
        record Arrival(Input input, long at) {
        }
        List<Input> byTime = new ArrayList<>(records);
        byTime.sort(Comparator.comparingLong(Input::time));
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < byTime.size(); i++) {
            Input input = byTime.get(i);
            long at = input.time() + random.nextLong(120_000);
            arrivals.add(new Arrival(input, at));
            if (i % 17 == 0 && input.value() != null) {
                arrivals.add(new Arrival(input, at + 300_000));
            }
            if (i % 500 == 0) {
                byte[] poison = ("poison " + i).getBytes(StandardCharsets.UTF_8);
                arrivals.add(new Arrival(new Input(input.topic(), input.key(), poison, input.time()), at));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        return arrivals.stream().map(Arrival::input).toList();
    }

    /** A deployment a day later in every partition, so every grace there ends. */
    private List<Input> closingDeployments() {
        List<Input> closing = new ArrayList<>();
        for (int p = 0, n = 0; p < PARTITIONS; n++) {
            String service = "closing-" + n;
            if (EnvironmentPartitioner.partition(service + "/ops", PARTITIONS) == p) {
                closing.add(deployment(aDeployment().forService(service).inEnvironment("ops").inCluster("c")
                        .withArtifact(digest(n)).at(BASE.plus(Duration.ofDays(1)))));
                p++;
            }
        }
        return closing;
    }

    /** Sends each record to the partition of its {@code service/environment}, as ingest does, timestamped with its event time. */
    private static void produce(KafkaClientSettings clients, TopicCatalog catalog, List<Input> inputs) throws Exception {
        TestTopics.produce(clients.producer(), inputs.stream().map(in -> new ProducerRecord<>(catalog.name(in.topic()),
                EnvironmentPartitioner.partition(in.key(), PARTITIONS), in.time(), in.key(), in.value())).toList());
    }

    private String describe(ConsumerRecord<String, byte[]> r) {
        DriftStatus s = serdes.deserialize(DriftStatus.class, r.value());
        return r.key() + " " + r.timestamp() + " " + s.getStatus() + " " + s.getReasons() + " " + s.getIncidentId();
    }
}
