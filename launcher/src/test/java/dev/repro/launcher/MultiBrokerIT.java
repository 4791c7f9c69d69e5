package dev.repro.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.ingest.IngestService;
import dev.repro.ingest.IngestSettings;
import dev.repro.kafka.local.LocalKafkaCluster;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.RecipeKey;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;
import dev.repro.verifier.VerifierApp;

/**
 * Issue 8's fault test, without Docker: ingest and the verifier on three Kafka nodes (each a
 * broker and a controller of one KRaft quorum, each its own JVM on loopback), every topic with
 * replication factor 3 and {@code min.insync.replicas} 2. A few thousand builds are posted over
 * HTTP at a steady rate, concurrently, and one broker is killed with SIGKILL a third of the way
 * in; posting goes on against the two that are left. Ingest's ack timeout (4 s) is shorter than
 * the time it takes to fence the dead broker (6 s), so requests caught by the kill are answered
 * 503 rather than held, and both kinds of answer are checked.
 *
 * <p>The broker killed is the one that leads the most partitions of the stream's path (the archive,
 * the typed builds topic, the rebuild verdicts, and the transaction-state and offsets topics that
 * hold the writers' transactions and the apps' positions) among the two that are not the active
 * KRaft controller. That makes as many leaders and coordinators as possible move, which is the
 * data-path fault under test; sparing the quorum leader keeps the time to fence the dead broker
 * {@code broker.session.timeout.ms}, not that plus a controller election, so the test stays
 * bounded and repeatable.
 *
 * <p>Each event's final HTTP answer is recorded (no client retries). Then, read with
 * {@code read_committed}: every event answered 202 is in {@code events.archive} and in
 * {@code events.builds} exactly once; every event answered 503 "nothing was stored" is in
 * neither; an event answered 503 with an unknown outcome (Kafka did not confirm the commit, which
 * ingest says may or may not be stored) is in each at most once, and in both or neither. For each
 * recipe the rebuild verdicts, in offset order, count its stored builds 1, 2, ..., n: one verdict
 * per build, none repeated, none missing; the last one lists exactly those builds and judges them
 * as their digests say. Nothing reaches the rejected or dead-letter topics.
 */
class MultiBrokerIT {

    private static final int EVENTS = 3_000;
    private static final int RECIPES = 300;
    private static final int ARTIFACTS = 30;
    /** One event is due every 5 ms (200 events/s offered) with at most {@link #CONCURRENT_POSTS} in flight. */
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int CONCURRENT_POSTS = 64;
    private static final int KILL_AFTER_ANSWERS = EVENTS / 3;
    private static final Duration RESULTS_WITHIN = Duration.ofSeconds(60);
    private static final String SOURCE = "https://ci.example/multi-broker";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AvroSerdes SERDES = AvroSerdes.create();

    @TempDir
    static Path work;

    private static LocalKafkaCluster cluster;
    private static final List<RunningApp> APPS = new ArrayList<>();
    private static IngestService ingest;
    private static TopicCatalog catalog;
    private static KafkaClientSettings clients;
    private static String transactionalId;
    private static long setupMillis;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    static void startThreeBrokersIngestAndTheVerifier() throws Exception {
        long setupStart = System.nanoTime();
        // a dead broker is fenced (and leaves every ISR) 6 s after its last heartbeat instead of 9 s
        cluster = LocalKafkaCluster.builder(work.resolve("kafka")).nodes(3).heap("512m")
                .brokerConfig("broker.session.timeout.ms", "6000")
                .brokerConfig("broker.heartbeat.interval.ms", "500")
                .startTimeout(Duration.ofSeconds(150))
                .build();
        cluster.start();

        String prefix = "mb-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        transactionalId = prefix + "ingest";
        ReproConfig config = ReproConfig.of(Map.of(
                ReproConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, prefix,
                ReproConfig.TOPIC_PARTITIONS, "3",
                ReproConfig.TOPIC_REPLICATION_FACTOR, "3",
                StreamsAppRunner.STATE_DIR, work.resolve("state").toString(),
                IngestSettings.BIND, "127.0.0.1:0",
                IngestSettings.TRANSACTIONAL_ID, transactionalId,
                // shorter than the 6 s it takes to fence the dead broker: writes caught by the kill are answered 503, not held
                IngestSettings.ACK_TIMEOUT_MS, "4000"));
        catalog = TopicCatalog.of(prefix, 3, (short) 3);
        clients = new KafkaClientSettings(config);
        try (Admin admin = Admin.create(clients.admin())) {
            new TopicProvisioner(admin, Duration.ofSeconds(60)).ensure(catalog.all());
            assertThat(admin.describeTopics(List.of(catalog.name(TopicId.ARCHIVE), catalog.name(TopicId.BUILDS),
                    catalog.name(TopicId.REBUILD_VERDICTS))).allTopicNames().get(30, TimeUnit.SECONDS).values())
                    .allSatisfy(t -> assertThat(t.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
            ConfigResource archive = new ConfigResource(ConfigResource.Type.TOPIC, catalog.name(TopicId.ARCHIVE));
            assertThat(admin.describeConfigs(List.of(archive)).all().get(30, TimeUnit.SECONDS).get(archive)
                    .get("min.insync.replicas").value()).isEqualTo("2");
        }
        // On a cold cluster ingest's first initTransactions creates the transaction-state topic (10 partitions,
        // 3 replicas each) and may time out; the archive writer then tries again while idle, so ingest becomes
        // ready without an event having to come first.
        ingest = IngestService.start(config);
        APPS.add(ingest);
        RunningApp verifier = new VerifierApp().start(config);
        APPS.add(verifier);
        awaitUntil(Duration.ofSeconds(90), () -> ingest.isReady() && verifier.isReady(),
                () -> "ingest ready " + ingest.isReady() + ", verifier ready " + verifier.isReady());
        setupMillis = ms(System.nanoTime() - setupStart);
    }

    @AfterAll
    static void stopEverything() {
        ClusterTeardown.stop(APPS, cluster);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldLoseNoAcceptedBuildAndCountNoneTwiceWhenABrokerIsKilledMidStream() throws Exception {
        // Given a steady stream of builds posted over HTTP, 64 at a time
        List<PostedBuild> builds = new ArrayList<>();
        Instant firstBuild = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < EVENTS; i++) {
            builds.add(PostedBuild.number(i, firstBuild));
        }
        IngestClient client = new IngestClient(ingest.url(), null, null);
        Map<String, Answer> answers = new ConcurrentHashMap<>();
        ExecutorService posters = Executors.newFixedThreadPool(CONCURRENT_POSTS);
        Victim victim;
        long killedAt;
        long streamStart = System.nanoTime();
        try {
            List<Future<?>> posted = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                PostedBuild build = builds.get(i);
                long due = streamStart + i * PACE_NANOS;
                posted.add(posters.submit(() -> answers.put(build.id(), post(client, build, due))));
            }

            // When the broker leading the most of the stream's partitions is killed a third of the way in
            awaitUntil(Duration.ofSeconds(90), () -> answers.size() >= KILL_AFTER_ANSWERS,
                    () -> answers.size() + " answers");
            try (Admin admin = Admin.create(clients.admin())) {
                victim = chooseVictim(admin);
            }
            LocalKafkaCluster.ClusterNode node = cluster.node(victim.id());
            long pid = node.pid();
            killedAt = System.nanoTime();
            node.kill();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("broker pid " + pid).isFalse();
            int answeredBeforeKill = (int) answers.values().stream().filter(a -> a.answeredAt() < killedAt).count();

            // and posting goes on until every build has its answer
            for (Future<?> f : posted) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertThat(answeredBeforeKill).as("answers before the kill").isBetween(KILL_AFTER_ANSWERS, EVENTS - 1);
        } finally {
            posters.shutdownNow();
        }
        long streamEnd = System.nanoTime();

        // Then every answer is 202 or 503, and ingest went on accepting after the kill
        Map<Outcome, List<String>> byOutcome = answers.entrySet().stream().collect(Collectors.groupingBy(
                e -> e.getValue().outcome(), TreeMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        assertThat(answers).hasSize(EVENTS);
        assertThat(byOutcome.getOrDefault(Outcome.OTHER, List.of()))
                .as("answers other than 202 and 503: %s", otherAnswers(answers)).isEmpty();
        long acceptedAfterKill = answers.values().stream()
                .filter(a -> a.outcome() == Outcome.ACCEPTED && a.postedAt() > killedAt).count();
        long postedAfterKill = answers.values().stream().filter(a -> a.postedAt() > killedAt).count();
        assertThat(acceptedAfterKill).as("builds accepted among the %d posted after the kill", postedAfterKill)
                .isGreaterThan(postedAfterKill / 2);

        Set<String> accepted = Set.copyOf(byOutcome.getOrDefault(Outcome.ACCEPTED, List.of()));
        Set<String> notStored = Set.copyOf(byOutcome.getOrDefault(Outcome.NOT_STORED, List.of()));
        Set<String> unknown = Set.copyOf(byOutcome.getOrDefault(Outcome.UNKNOWN, List.of()));
        Map<String, PostedBuild> byId = builds.stream().collect(Collectors.toMap(PostedBuild::id, Function.identity()));

        try (TopicLog archive = new TopicLog(catalog.name(TopicId.ARCHIVE));
             TopicLog typed = new TopicLog(catalog.name(TopicId.BUILDS));
             TopicLog verdicts = new TopicLog(catalog.name(TopicId.REBUILD_VERDICTS));
             TopicLog rejected = new TopicLog(catalog.name(TopicId.REJECTED));
             TopicLog deadLetters = new TopicLog(catalog.name(TopicId.DEAD_LETTER))) {
            // (once the router and the verifier have caught up: each recipe's latest verdict counts what the archive holds)
            awaitUntil(RESULTS_WITHIN, () -> {
                archive.poll();
                typed.poll();
                verdicts.poll();
                Set<String> archived = archiveIds(archive).keySet();
                Map<String, RebuildVerdict> latest = latestVerdicts(verdicts);
                return archived.containsAll(accepted) && typedIds(typed).keySet().containsAll(archived)
                        && storedByRecipe(archiveIds(archive), byId).entrySet().stream().allMatch(e ->
                        latest.containsKey(e.getKey()) && latest.get(e.getKey()).getBuilds() == e.getValue().size());
            }, () -> "archive " + archive.records.size() + " of " + accepted.size() + " accepted, typed " + typed.records.size()
                    + ", verdicts " + verdicts.records.size());
            long resultsAt = System.nanoTime();
            archive.readToEnd();
            typed.readToEnd();
            verdicts.readToEnd();
            rejected.readToEnd();
            deadLetters.readToEnd();

            Map<String, Integer> inArchive = archiveIds(archive);
            Map<String, Integer> inTyped = typedIds(typed);
            String summary = summary(victim, answers, byOutcome, streamStart, killedAt, streamEnd, resultsAt,
                    archive, typed, verdicts);
            System.out.println(summary);

            // every 202 exactly once in the archive and in the typed topic
            assertThat(accepted).as(summary).allSatisfy(id -> {
                assertThat(inArchive.getOrDefault(id, 0)).as("%s in the archive", id).isEqualTo(1);
                assertThat(inTyped.getOrDefault(id, 0)).as("%s in %s", id, catalog.name(TopicId.BUILDS)).isEqualTo(1);
            });
            // every "nothing was stored" nowhere
            assertThat(notStored).as(summary).allSatisfy(id -> {
                assertThat(inArchive).as("archive").doesNotContainKey(id);
                assertThat(inTyped).as(catalog.name(TopicId.BUILDS)).doesNotContainKey(id);
            });
            // an unknown outcome at most once, and in both or neither
            assertThat(unknown).as(summary).allSatisfy(id -> {
                assertThat(inArchive.getOrDefault(id, 0)).as("%s in the archive", id).isLessThanOrEqualTo(1);
                assertThat(inTyped.getOrDefault(id, 0)).as("%s in %s", id, catalog.name(TopicId.BUILDS))
                        .isEqualTo(inArchive.getOrDefault(id, 0));
            });
            // nothing else reached the topics, and nothing went to the rejected or dead-letter topics
            assertThat(byId.keySet()).containsAll(inArchive.keySet()).containsAll(inTyped.keySet());
            assertThat(inTyped.keySet()).isEqualTo(inArchive.keySet());
            assertThat(rejected.records).as("rejected events").isEmpty();
            assertThat(deadLetters.records).as("dead letters").isEmpty();

            // one verdict per stored build of each recipe, counting 1..n, the last listing exactly those builds
            Map<String, Set<String>> stored = storedByRecipe(inArchive, byId);
            Map<String, List<RebuildVerdict>> verdictsByRecipe = verdictsByRecipe(verdicts);
            assertThat(verdictsByRecipe.keySet()).as("recipes with verdicts").isEqualTo(stored.keySet());
            stored.forEach((recipe, ids) -> {
                List<RebuildVerdict> history = verdictsByRecipe.get(recipe);
                assertThat(history).extracting(RebuildVerdict::getBuilds).as("build counts of %s's verdicts", recipe)
                        .containsExactlyElementsOf(countingTo(ids.size()));
                RebuildVerdict last = history.get(history.size() - 1);
                assertThat(last.getBuildIds()).as("build ids of %s", recipe).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(ids);
                assertThat(last.getStatus()).as("status of %s", recipe).isEqualTo(expectedStatus(ids, byId));
            });
        }
    }

    /** Posts one build when it is due and returns its answer; a failed connection is an answer too. */
    private static Answer post(IngestClient client, PostedBuild build, long due) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(-1, "interrupted before posting", System.nanoTime(), System.nanoTime());
            }
        }
        long postedAt = System.nanoTime();
        try {
            HttpResponse<String> response = client.post("/v1/events", "application/json",
                    build.json().getBytes(StandardCharsets.UTF_8));
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body.path("detail").asText(""), postedAt, System.nanoTime());
        } catch (IOException e) {
            return new Answer(-1, e.toString(), postedAt, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted while posting", postedAt, System.nanoTime());
        }
    }

    /** The non-controller node leading the most partitions of the stream's topics; ties go to ingest's transaction coordinator. */
    private static Victim chooseVictim(Admin admin) throws Exception {
        int controller = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        int coordinator = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                .get(30, TimeUnit.SECONDS).coordinatorId();
        List<String> topics = List.of(catalog.name(TopicId.ARCHIVE), catalog.name(TopicId.BUILDS),
                catalog.name(TopicId.REBUILD_VERDICTS), "__transaction_state", "__consumer_offsets");
        Map<Integer, List<String>> led = new TreeMap<>();
        cluster.nodes().forEach(n -> led.put(n.id(), new ArrayList<>()));
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
            for (TopicPartitionInfo p : topic.partitions()) {
                if (p.leader() != null && !p.leader().isEmpty()) {
                    led.get(p.leader().id()).add(topic.name() + "-" + p.partition());
                }
            }
        }
        int chosen = led.keySet().stream().filter(id -> id != controller)
                .max(Comparator.<Integer>comparingInt(id -> led.get(id).size())
                        .thenComparing(id -> id == coordinator)
                        .thenComparing(Comparator.<Integer>reverseOrder()))
                .orElseThrow();
        return new Victim(chosen, controller, coordinator, led);
    }

    /** Polls {@code condition} every 200 ms until it holds; fails with {@code state} after {@code within}. */
    private static void awaitUntil(Duration within, BooleanSupplier condition, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("within %d s; so far: %s", within.toSeconds(), state.get()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** How many times each event id is in the archive. */
    private static Map<String, Integer> archiveIds(TopicLog archive) {
        Map<String, Integer> ids = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : archive.records) {
            ArchivedEvent event = SERDES.deserialize(ArchivedEvent.class, r.value());
            assertThat(event.getSource()).isEqualTo(SOURCE);
            ids.merge(event.getId(), 1, Integer::sum);
        }
        return ids;
    }

    /** How many times each build id is in the typed builds topic. */
    private static Map<String, Integer> typedIds(TopicLog typed) {
        Map<String, Integer> ids = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : typed.records) {
            ids.merge(SERDES.deserialize(BuildEvent.class, r.value()).getId(), 1, Integer::sum);
        }
        return ids;
    }

    private static Map<String, Set<String>> storedByRecipe(Map<String, Integer> stored, Map<String, PostedBuild> byId) {
        return stored.keySet().stream().collect(Collectors.groupingBy(id -> byId.get(id).recipeKey(), Collectors.toSet()));
    }

    /** Each recipe's verdicts in offset order (a recipe's verdicts are all in one partition). */
    private static Map<String, List<RebuildVerdict>> verdictsByRecipe(TopicLog verdicts) {
        Map<String, List<RebuildVerdict>> byRecipe = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : verdicts.records) {
            byRecipe.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(SERDES.deserialize(RebuildVerdict.class, r.value()));
        }
        return byRecipe;
    }

    private static Map<String, RebuildVerdict> latestVerdicts(TopicLog verdicts) {
        Map<String, RebuildVerdict> latest = new HashMap<>();
        verdictsByRecipe(verdicts).forEach((recipe, history) -> latest.put(recipe, history.get(history.size() - 1)));
        return latest;
    }

    private static List<Integer> countingTo(int n) {
        List<Integer> counts = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            counts.add(i);
        }
        return counts;
    }

    /** As the contract says for successful builds: one digest REPRODUCIBLE, more UNREPRODUCIBLE, a single build PENDING. */
    private static RebuildStatus expectedStatus(Collection<String> ids, Map<String, PostedBuild> byId) {
        if (ids.size() < 2) {
            return RebuildStatus.PENDING;
        }
        long digests = ids.stream().map(id -> byId.get(id).artifactDigest()).distinct().count();
        return digests == 1 ? RebuildStatus.REPRODUCIBLE : RebuildStatus.UNREPRODUCIBLE;
    }

    private static String otherAnswers(Map<String, Answer> answers) {
        return answers.entrySet().stream().filter(e -> e.getValue().outcome() == Outcome.OTHER).limit(5)
                .map(e -> e.getKey() + " " + e.getValue().status() + " " + e.getValue().detail()).toList().toString();
    }

    private static String summary(Victim victim, Map<String, Answer> answers, Map<Outcome, List<String>> byOutcome,
                                  long streamStart, long killedAt, long streamEnd, long resultsAt,
                                  TopicLog archive, TopicLog typed, TopicLog verdicts) {
        Map<String, Long> details = answers.values().stream().filter(a -> a.status() == 503)
                .collect(Collectors.groupingBy(a -> a.detail().length() > 140 ? a.detail().substring(0, 140) : a.detail(),
                        TreeMap::new, Collectors.counting()));
        long slowest = answers.values().stream().mapToLong(a -> a.answeredAt() - a.postedAt()).max().orElse(0);
        return "MultiBrokerIT: cluster and apps ready in " + setupMillis + " ms; killed node " + victim.id() + " at "
                + ms(killedAt - streamStart) + " ms of a "
                + ms(streamEnd - streamStart) + " ms stream (active controller: node " + victim.controller()
                + ", ingest's transaction coordinator: node " + victim.coordinator() + "); partitions led then: "
                + victim.led() + "\n  answers: " + byOutcome.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size())
                .toList() + ", slowest " + ms(slowest) + " ms; 503 details: " + details
                + "\n  records read: archive " + archive.records.size() + ", builds " + typed.records.size()
                + ", rebuild verdicts " + verdicts.records.size() + "; every verdict in " + ms(resultsAt - streamEnd)
                + " ms after the last answer";
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private record Victim(int id, int controller, int coordinator, Map<Integer, List<String>> led) {
    }

    /** What became of one POST. */
    private enum Outcome { ACCEPTED, NOT_STORED, UNKNOWN, OTHER }

    /** The final answer to one POST: status (-1: no HTTP answer), the problem's detail, and when (nanoTime). */
    private record Answer(int status, String detail, long postedAt, long answeredAt) {

        Outcome outcome() {
            if (status == 202) {
                return Outcome.ACCEPTED;
            }
            if (status == 503) {
                // ingest says which: "nothing was stored" / "was not stored", or the commit was not confirmed
                return detail.contains("nothing was stored") || detail.contains("was not stored")
                        ? Outcome.NOT_STORED : Outcome.UNKNOWN;
            }
            return Outcome.OTHER;
        }
    }

    /**
     * Build number {@code n} as a CI system posts it (native event JSON): recipe {@code n % 300} of
     * artifact {@code n % 30}; four recipes in five rebuild to one digest, the fifth to a new digest
     * every time.
     */
    private record PostedBuild(String id, String recipeKey, String artifactDigest, String json) {

        static PostedBuild number(int n, Instant firstBuild) {
            int recipe = n % RECIPES;
            String service = "svc-" + recipe % ARTIFACTS;
            String name = "ghcr.io/example/" + service;
            String commit = hex("SHA-1", "commit-" + recipe);
            String recipeDigest = "sha256:" + hex("SHA-256", "recipe-" + recipe);
            String artifactDigest = "sha256:" + hex("SHA-256", recipe % 5 == 0 ? "artifact-" + recipe + "-" + n : "artifact-" + recipe);
            String id = "mb-build-" + n;
            ObjectNode e = JSON.createObjectNode();
            e.put("type", "build");
            e.put("id", id);
            e.put("source", SOURCE);
            e.put("time", firstBuild.plusMillis(n * 10L).toString());
            e.putObject("labels").put("team", "team-" + recipe % 3).put("service", service);
            e.putObject("artifact").put("name", name).put("digest", artifactDigest).put("uri", name + ":" + commit.substring(0, 12));
            e.put("source_repo", "https://github.com/example/" + service);
            e.put("commit", commit);
            e.put("recipe_digest", recipeDigest);
            e.putObject("builder").put("id", "https://github.com/actions/runner/ubuntu-24.04")
                    .put("image_digest", "sha256:" + hex("SHA-256", "image-" + recipe % 7));
            e.putArray("materials").addObject().put("uri", "git+https://github.com/example/" + service + "@refs/heads/main")
                    .put("digest", "sha256:" + hex("SHA-256", "source-" + recipe));
            e.putObject("environment").put("os", "linux").put("arch", "amd64").put("TZ", "UTC");
            e.put("outcome", "success");
            e.put("signed", true);
            return new PostedBuild(id, new RecipeKey(name, commit, recipeDigest).toString(), artifactDigest, e.toString());
        }

        private static String hex(String algorithm, String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every committed record of one topic, read from the beginning with {@code read_committed}. */
    private static final class TopicLog implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        TopicLog(String topic) {
            Map<String, Object> settings = new HashMap<>(clients.consumer(null));
            settings.put("isolation.level", "read_committed");
            this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
            this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void poll() {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }

        /** Reads up to the last stable offset of every partition as of now. */
        void readToEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading %s to its end %s", partitions, end).isLessThan(deadline);
                poll();
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
