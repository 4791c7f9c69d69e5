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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.EnvironmentPartitioner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicSpec;

/**
 * On a real broker, with exactly-once: a few thousand desired states and deployments of 80
 * service environments (rollouts that converge, lag or never finish, with and without desired
 * state; hotfixes, mutable tags, config changes, per-cluster overrides, removed desired states;
 * periodic observations; out of order, duplicated, poisoned), judged once, then judged again from
 * the same input by a fresh application id. Each partition of the drift topic must hold the same
 * records twice over, key, value bytes and timestamp alike.
 */
class DriftDetectorDeterminismIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final int PARTITIONS = 3;
    private static final Instant BASE = Instant.parse("2026-02-01T00:00:00Z");
    private static final List<String> CLUSTERS = List.of("eu-1", "eu-2", "us-1");

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();
    private final SplittableRandom random = new SplittableRandom(20260201L);
    private final Set<Long> usedTimes = new HashSet<>();

    /** One record to produce, at its event time (the tombstones' only time). */
    private record Input(String topic, String key, byte[] value, long time) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldWriteTheSameStatusesRecordForRecordWhenTheSameInputIsJudgedAgain() throws Exception {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, KAFKA.uniquePrefix(), ReproConfig.TOPIC_PARTITIONS, String.valueOf(PARTITIONS),
                StreamsAppRunner.STATE_DIR, stateDir.toString()));
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), PARTITIONS, (short) 1);
        KafkaClientSettings clients = new KafkaClientSettings(config);
        try (Admin admin = Admin.create(clients.admin())) {
            // Every topic keeps every record here: the drift and desired topics are compacted in
            // production, but both runs' statuses must be compared record for record.
            admin.createTopics(catalog.all().stream().map(spec -> new NewTopic(spec.name(), PARTITIONS, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1"))).toList())
                    .all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, catalog.all().stream().map(TopicSpec::name).toList(), Duration.ofSeconds(30));
        }

        List<Input> desired = new ArrayList<>();
        List<Input> deployments = new ArrayList<>();
        int environments = 0;
        for (int s = 0; s < 40; s++) {
            for (String environment : List.of("prod", "staging")) {
                Instant start = BASE.plus(Duration.ofMinutes(3L * environments++));
                environment("svc-" + s, environment, start, catalog, desired, deployments);
            }
        }
        List<Input> inputs = new ArrayList<>(arrivalOrder(desired));
        inputs.addAll(arrivalOrder(deployments));
        inputs.addAll(closingDeployments(catalog));
        assertThat(inputs.size()).as("records to produce").isGreaterThan(3000);
        produce(clients, inputs);

        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> first = judge(config, catalog, clients, "first");
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> both = judge(config, catalog, clients, "second");

        assertThat(both.keySet()).hasSize(PARTITIONS);
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> partition : both.entrySet()) {
            List<ConsumerRecord<String, byte[]>> all = partition.getValue();
            int once = first.getOrDefault(partition.getKey(), List.of()).size();
            assertThat(all).as(partition.getKey() + " holds both runs' statuses").hasSize(2 * once);
            assertThat(describe(all.subList(once, all.size()))).as(partition.getKey() + ": the second run's statuses")
                    .isEqualTo(describe(all.subList(0, once)));
            for (int i = 0; i < once; i++) {
                ConsumerRecord<String, byte[]> a = all.get(i);
                ConsumerRecord<String, byte[]> b = all.get(once + i);
                assertThat(b.key()).as(partition.getKey() + " record " + i + " key").isEqualTo(a.key());
                assertThat(b.value()).as(partition.getKey() + " record " + i + " value of " + a.key()).isEqualTo(a.value());
                assertThat(b.timestamp()).as(partition.getKey() + " record " + i + " timestamp").isEqualTo(a.timestamp());
            }
            for (ConsumerRecord<String, byte[]> r : first.get(partition.getKey())) {
                assertThat(EnvironmentPartitioner.partition(r.key(), PARTITIONS)).as(r.key() + " partition")
                        .isEqualTo(r.partition());
            }
        }

        List<DriftStatus> statuses = first.values().stream().flatMap(List::stream)
                .map(r -> serdes.deserialize(DriftStatus.class, r.value())).toList();
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

    private Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> judge(ReproConfig config, TopicCatalog catalog,
            KafkaClientSettings clients, String run) throws Exception {
        String applicationId = KAFKA.uniqueName("drift-" + run);
        ReproConfig withAppId = config.with(DriftConfig.APPLICATION_ID, applicationId);
        try (StreamsAppRunner app = new DriftDetectorApp().start(withAppId)) {
            assertThat(app.awaitReady(Duration.ofSeconds(60))).as(run + " drift detector reaches RUNNING").isTrue();
            awaitCaughtUp(clients, applicationId, List.of(catalog.name(TopicId.DESIRED), catalog.name(TopicId.DEPLOYMENTS)),
                    Duration.ofSeconds(120));
        }
        return readAll(clients, catalog.name(TopicId.DRIFT));
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
    private void environment(String service, String environment, Instant start, TopicCatalog catalog, List<Input> desired,
            List<Input> deployments) {
        boolean declared = random.nextInt(5) > 0;
        String v1 = digest(random.nextInt(1_000_000));
        String v2 = digest(1_000_000 + random.nextInt(1_000_000));
        String config = random.nextInt(4) == 0 ? digest(2_000_000 + random.nextInt(1000)) : null;
        Map<String, NavigableMap<Long, Release>> releases = new TreeMap<>();
        CLUSTERS.forEach(c -> releases.put(c, new TreeMap<>()));
        Fixtures.DesiredBuilder declaration = aDesiredState().forService(service).inEnvironment(environment).withConfig(config);

        if (declared) {
            desired.add(desired(catalog, declaration.withArtifact(v1), start, 0));
        }
        for (int i = 0; i < CLUSTERS.size(); i++) {
            releases.get(CLUSTERS.get(i)).put(1L + i, new Release(v1, null, config));
        }
        if (declared && random.nextInt(10) == 0) {
            String canary = digest(3_000_000 + random.nextInt(1000));
            desired.add(desired(catalog, aDesiredState().forService(service).inEnvironment(environment).forCluster("us-1")
                    .withArtifact(canary).withConfig(config), start, 5));
            releases.get("us-1").put(6L, new Release(canary, null, config));
        }
        if (declared) {
            desired.add(desired(catalog, declaration.withId("v2-" + service + "-" + environment).withArtifact(v2), start, 20));
        }
        releases.get("eu-1").put(22L, new Release(v2, null, config));
        releases.get("eu-2").put(24L, new Release(v2, null, config));
        switch (random.nextInt(4)) {
            case 0 -> releases.get("us-1").put(41L, new Release(v2, null, config));
            case 1, 2 -> releases.get("us-1").put(26L, new Release(v2, null, config));
            default -> { }
        }
        if (declared && config != null && random.nextInt(2) == 0) {
            desired.add(desired(catalog, declaration.withId("config-" + service + "-" + environment)
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
            desired.add(new Input(catalog.name(TopicId.DESIRED), service + "/" + environment, null, eventTime(start, 55)));
        }
        releases.forEach((cluster, history) -> {
            history.forEach((minute, release) -> deployments.add(deployment(catalog,
                    release.deployment(service, environment, cluster).at(Instant.ofEpochMilli(eventTime(start, minute))))));
            for (long minute = 5; minute <= 60; minute += 5) {
                deployments.add(deployment(catalog, history.floorEntry(minute).getValue().deployment(service, environment, cluster)
                        .withSource("https://k8s.example/observer").observed()
                        .at(Instant.ofEpochMilli(eventTime(start, minute + 0.5)))));
            }
        });
    }

    private Input desired(TopicCatalog catalog, Fixtures.DesiredBuilder state, Instant start, long minute) {
        long time = eventTime(start, minute);
        return new Input(catalog.name(TopicId.DESIRED), state.key(), serdes.serialize(state.at(Instant.ofEpochMilli(time)).build()),
                time);
    }

    private Input deployment(TopicCatalog catalog, Fixtures.DeploymentBuilder deployment) {
        DeploymentEvent event = deployment.build();
        return new Input(catalog.name(TopicId.DEPLOYMENTS), deployment.key(), serdes.serialize(event),
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
    private List<Input> closingDeployments(TopicCatalog catalog) {
        List<Input> closing = new ArrayList<>();
        for (int p = 0, n = 0; p < PARTITIONS; n++) {
            String service = "closing-" + n;
            if (EnvironmentPartitioner.partition(service + "/ops", PARTITIONS) == p) {
                closing.add(deployment(catalog, aDeployment().forService(service).inEnvironment("ops").inCluster("c")
                        .withArtifact(digest(n)).at(BASE.plus(Duration.ofDays(1)))));
                p++;
            }
        }
        return closing;
    }

    /** Sends each record to the partition of its {@code service/environment}, as ingest does, timestamped with its event time. */
    private static void produce(KafkaClientSettings clients, List<Input> inputs) throws Exception {
        // One request in flight: a batch retried after the new topics' first leader change cannot
        // be overtaken by the next one (which the broker would refuse as out of sequence).
        Map<String, Object> settings = new HashMap<>(clients.producer());
        settings.put("max.in.flight.requests.per.connection", "1");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Input input : inputs) {
                sent.add(producer.send(new ProducerRecord<>(input.topic(), EnvironmentPartitioner.partition(input.key(), PARTITIONS),
                        input.time(), input.key(), input.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until every partition of {@code topics} has a leader. */
    private static void awaitLeaders(Admin admin, List<String> topics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(topic -> topic.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
            assertThat(System.nanoTime()).as("leaders of " + topics).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Waits until the app has committed past every record of {@code topics}. */
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
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (true) {
                assertThat(System.nanoTime()).as(groupId + " catches up with " + topics).isLessThan(deadline);
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (partitions.stream().allMatch(tp -> committed.get(tp) != null && committed.get(tp).offset() >= end.get(tp))) {
                    return;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Every committed record of {@code topic}, by partition. */
    private static Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> readAll(KafkaClientSettings clients, String topic) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> seen = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer(null), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
                }
            }
        }
        return seen;
    }

    private List<String> describe(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> {
            DriftStatus s = serdes.deserialize(DriftStatus.class, r.value());
            return r.key() + " " + r.timestamp() + " " + s.getStatus() + " " + s.getReasons() + " " + s.getIncidentId();
        }).toList();
    }
}
