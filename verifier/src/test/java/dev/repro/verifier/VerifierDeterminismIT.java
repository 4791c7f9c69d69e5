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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;
import dev.repro.topics.TopicSpec;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.ArtifactPartitioner;

/**
 * On a real broker, with exactly-once: a few thousand mixed builds and runs (out of order,
 * duplicated, poisoned, replays before originals, replays without originals), verified once,
 * then the same input verified again by a fresh application id. Each verdict topic partition
 * must hold the same records twice over, key, value bytes and timestamp alike.
 */
class VerifierDeterminismIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final int PARTITIONS = 3;
    private static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();
    private final SplittableRandom random = new SplittableRandom(20260201L);

    private record Input(String topic, Integer partition, String key, byte[] value) {
    }

    @Test
    void shouldWriteTheSameVerdictsRecordForRecordWhenTheSameInputIsVerifiedAgain() throws Exception {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, KAFKA.uniquePrefix(), ReproConfig.TOPIC_PARTITIONS, String.valueOf(PARTITIONS),
                StreamsAppRunner.STATE_DIR, stateDir.toString()));
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), PARTITIONS, (short) 1);
        KafkaClientSettings clients = new KafkaClientSettings(config);
        // Every topic keeps every record here: the verdict topics are compacted in production and
        // the event topics expire after 7 days of record time, but these records carry event times
        // of 2026-02, and the two runs' verdicts must be compared record for record.
        createTopics(clients, catalog);

        List<Input> inputs = new ArrayList<>();
        int distinctBuilds = builds(catalog, inputs);
        int distinctReplays = runs(catalog, inputs);
        produce(clients, inputs);

        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> first = verify(config, catalog, clients, "first");
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> both = verify(config, catalog, clients, "second");

        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> partition : both.entrySet()) {
            List<ConsumerRecord<String, byte[]>> all = partition.getValue();
            int once = first.getOrDefault(partition.getKey(), List.of()).size();
            assertThat(describe(all.subList(once, all.size()))).as(partition.getKey() + ": the second run's verdicts")
                    .isEqualTo(describe(all.subList(0, once)));
            for (int i = 0; i < once; i++) {
                ConsumerRecord<String, byte[]> a = all.get(i);
                ConsumerRecord<String, byte[]> b = all.get(once + i);
                assertThat(b.key()).as(partition.getKey() + " record " + i + " key").isEqualTo(a.key());
                assertThat(b.value()).as(partition.getKey() + " record " + i + " value of " + a.key()).isEqualTo(a.value());
                assertThat(b.timestamp()).as(partition.getKey() + " record " + i + " timestamp").isEqualTo(a.timestamp());
            }
        }

        List<RebuildStatus> rebuildStatuses = values(first, catalog.name(TopicId.REBUILD_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(RebuildVerdict.class, bytes).getStatus()).toList();
        List<ReplayStatus> replayStatuses = values(first, catalog.name(TopicId.REPLAY_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(ReplayVerdict.class, bytes).getStatus()).toList();
        assertThat(rebuildStatuses).as("one rebuild verdict per distinct build").hasSize(distinctBuilds)
                .contains(RebuildStatus.values());
        assertThat(replayStatuses).as("at least one verdict per distinct replay").hasSizeGreaterThanOrEqualTo(distinctReplays)
                .contains(ReplayStatus.values());
        assertThat(values(first, catalog.name(TopicId.REPLAY_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(ReplayVerdict.class, bytes).getReplayEventId()).distinct())
                .as("every distinct replay judged").hasSize(distinctReplays);
        assertThat(values(first, catalog.name(TopicId.REBUILD_VERDICTS)).stream()
                .map(bytes -> serdes.deserialize(RebuildVerdict.class, bytes)).filter(RebuildVerdict::getRegression))
                .isNotEmpty();
    }

    /**
     * The verifier as a child JVM ({@code java -jar target/verifier.jar}) killed with SIGKILL in
     * the middle of the input, then started again: its verdict topics, read committed, equal
     * those of an undisturbed verifier over the same input, record for record.
     */
    @Test
    void shouldWriteTheSameVerdictsAfterBeingKilledMidStreamAndRestarted() throws Exception {
        ReproConfig undisturbed = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, KAFKA.uniquePrefix(), ReproConfig.TOPIC_PARTITIONS, String.valueOf(PARTITIONS),
                StreamsAppRunner.STATE_DIR, stateDir.resolve("undisturbed").toString()));
        TopicCatalog calm = TopicCatalog.of(undisturbed.topicPrefix(), PARTITIONS, (short) 1);
        TopicCatalog killed = TopicCatalog.of(KAFKA.uniquePrefix(), PARTITIONS, (short) 1);
        KafkaClientSettings clients = new KafkaClientSettings(undisturbed);
        createTopics(clients, calm);
        createTopics(clients, killed);
        List<Input> inputs = new ArrayList<>();
        builds(calm, inputs);
        runs(calm, inputs);
        produce(clients, inputs);
        produce(clients, inputs.stream().map(in -> new Input(in.topic().replace(calm.prefix(), killed.prefix()), in.partition(),
                in.key(), in.value())).toList());
        long total = inputs.size();

        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> expected = verify(undisturbed, calm, clients, "undisturbed");

        String applicationId = KAFKA.uniqueName("verifier-killed");
        List<String> inputTopics = List.of(killed.name(TopicId.BUILDS), killed.name(TopicId.RUNS));
        Process first = startVerifierJvm(killed, applicationId, "first");
        long committedAtKill;
        try {
            committedAtKill = awaitSomeCommitted(clients, applicationId, Duration.ofSeconds(90));
            first.destroyForcibly(); // SIGKILL: no commit, no close, an open transaction left behind
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the killed verifier is gone").isTrue();
        } finally {
            first.destroyForcibly();
        }
        assertThat(committedAtKill).as("killed in the middle of the input").isLessThan(total);
        Process second = startVerifierJvm(killed, applicationId, "second");
        try {
            awaitCaughtUp(clients, applicationId, inputTopics, Duration.ofSeconds(120));
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }

        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> actual =
                readAll(clients, List.of(killed.name(TopicId.REBUILD_VERDICTS), killed.name(TopicId.REPLAY_VERDICTS)));
        assertThat(actual.keySet()).extracting(tp -> tp.topic().replace(killed.prefix(), calm.prefix()) + "-" + tp.partition())
                .containsExactlyInAnyOrderElementsOf(expected.keySet().stream().map(TopicPartition::toString).toList());
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> partition : expected.entrySet()) {
            TopicPartition same = new TopicPartition(partition.getKey().topic().replace(calm.prefix(), killed.prefix()),
                    partition.getKey().partition());
            List<ConsumerRecord<String, byte[]>> want = partition.getValue();
            List<ConsumerRecord<String, byte[]>> got = actual.get(same);
            assertThat(describe(got)).as(same + " after the kill").isEqualTo(describe(want));
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.get(i).value()).as(same + " record " + i).isEqualTo(want.get(i).value());
            }
        }
    }

    private static void createTopics(KafkaClientSettings clients, TopicCatalog catalog) throws Exception {
        try (Admin admin = Admin.create(clients.admin())) {
            admin.createTopics(catalog.all().stream().map(spec -> new NewTopic(spec.name(), PARTITIONS, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1"))).toList())
                    .all().get(30, TimeUnit.SECONDS);
            new TopicProvisioner(admin, Duration.ofSeconds(30)).awaitLeaders(catalog.all().stream().map(TopicSpec::name).toList());
        }
    }

    private Process startVerifierJvm(TopicCatalog catalog, String applicationId, String run) throws Exception {
        Path jar = Path.of("target", "verifier.jar").toAbsolutePath();
        assertThat(jar).as("failsafe runs after package").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(stateDir.resolve("verifier-" + run + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("REPRO_") || k.startsWith("KAFKA_"));
        env.put(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        env.put(ReproConfig.TOPIC_PREFIX, catalog.prefix());
        env.put(ReproConfig.TOPIC_PARTITIONS, String.valueOf(PARTITIONS));
        env.put(StreamsAppRunner.STATE_DIR, stateDir.resolve("killed").toString());
        env.put(VerifierConfig.APPLICATION_ID, applicationId);
        return builder.start();
    }

    /** Waits until the group has committed some input offsets; returns how many. */
    private static long awaitSomeCommitted(KafkaClientSettings clients, String groupId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(clients.admin())) {
            while (true) {
                long committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                        .values().stream().filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
                if (committed > 0) {
                    return committed;
                }
                assertThat(System.nanoTime()).as(groupId + " commits something").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> verify(ReproConfig config, TopicCatalog catalog,
            KafkaClientSettings clients, String run) throws Exception {
        String applicationId = KAFKA.uniqueName("verifier-" + run);
        ReproConfig withAppId = config.with(VerifierConfig.APPLICATION_ID, applicationId);
        try (StreamsAppRunner app = new VerifierApp().start(withAppId)) {
            assertThat(app.awaitReady(Duration.ofSeconds(60))).as(run + " verifier reaches RUNNING").isTrue();
            awaitCaughtUp(clients, applicationId, List.of(catalog.name(TopicId.BUILDS), catalog.name(TopicId.RUNS)),
                    Duration.ofSeconds(90));
        }
        return readAll(clients, List.of(catalog.name(TopicId.REBUILD_VERDICTS), catalog.name(TopicId.REPLAY_VERDICTS)));
    }

    /** Waits until the app's committed offsets reach the end of every partition of {@code topics}. */
    private static void awaitCaughtUp(KafkaClientSettings clients, String groupId, List<String> topics, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(clients.admin());
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer(null), new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(topic -> {
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            });
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            while (true) {
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                List<TopicPartition> behind = partitions.stream().filter(tp -> ends.get(tp) > 0
                        && (committed.get(tp) == null || committed.get(tp).offset() < ends.get(tp))).toList();
                if (behind.isEmpty()) {
                    return;
                }
                assertThat(System.nanoTime()).as(groupId + " catches up with " + behind).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Builds of 100 artifacts, 3 recipes each; returns how many distinct builds were sent. */
    private int builds(TopicCatalog catalog, List<Input> inputs) {
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
        String topic = catalog.name(TopicId.BUILDS);
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
    private int runs(TopicCatalog catalog, List<Input> inputs) {
        String topic = catalog.name(TopicId.RUNS);
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

    private static void produce(KafkaClientSettings clients, List<Input> inputs) throws Exception {
        // one request in flight: on Kafka 4.3.1 an idempotent producer writing topics created a moment
        // before sometimes restarted a partition's sequence mid-stream and retried until its batches expired
        Map<String, Object> settings = new java.util.HashMap<>(clients.producer());
        settings.put("max.in.flight.requests.per.connection", "1");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Input input : inputs) {
                sent.add(producer.send(new ProducerRecord<>(input.topic(), input.partition(), input.key(), input.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Every committed record of {@code topics}, by partition, once no more arrive. */
    private static Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> readAll(KafkaClientSettings clients,
            List<String> topics) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> seen = new java.util.TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::toString));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer(null), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            topics.forEach(topic -> {
                for (int p = 0; p < PARTITIONS; p++) {
                    partitions.add(new TopicPartition(topic, p));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + topics).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
                }
            }
        }
        return seen;
    }

    private List<String> describe(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> r.key() + " " + r.timestamp() + " " + (r.topic().endsWith("replay")
                ? serdes.deserialize(ReplayVerdict.class, r.value()).getStatus() + " " + serdes.deserialize(ReplayVerdict.class, r.value()).getReplayRunId()
                : serdes.deserialize(RebuildVerdict.class, r.value()).getStatus())).toList();
    }

    private static List<byte[]> values(Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records, String topic) {
        return records.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                .flatMap(e -> e.getValue().stream()).map(ConsumerRecord::value).toList();
    }
}
