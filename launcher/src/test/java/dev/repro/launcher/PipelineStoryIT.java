package dev.repro.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.app.ReproApp;
import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.ingest.IngestService;
import dev.repro.launcher.demo.DemoFeed;
import dev.repro.launcher.demo.DemoStory;
import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayCause;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.Severity;
import dev.repro.schema.SliValue;
import dev.repro.schema.Suspect;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.RecordJson;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;

/**
 * The pipeline as a user meets it, on a real broker: every app of the class path started as
 * {@code repro up} starts them, the demo's story posted over HTTP, every verdict, drift status,
 * alert and SLI the story implies read back from the result topics; then every derived topic
 * rebuilt from {@code repro.events.archive} under fresh topics and application ids, and found
 * identical to the live ones (the pipeline is itself reproducible).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineStoryIT {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final Duration RESULTS_WITHIN = Duration.ofSeconds(120);

    @TempDir
    static Path stateDir;

    private static final AvroSerdes SERDES = AvroSerdes.create();
    private static final List<RunningApp> APPS = new ArrayList<>();
    private static ReproConfig config;
    private static TopicCatalog catalog;
    private static KafkaClientSettings clients;
    private static DemoStory story;

    @BeforeAll
    static void startThePipelineAndPostTheStory() throws Exception {
        String prefix = KAFKA.uniquePrefix();
        config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, prefix, ReproConfig.TOPIC_PARTITIONS, "3",
                "REPRO_STATE_DIR", stateDir.toString(),
                "REPRO_INGEST_BIND", "127.0.0.1:0", "REPRO_SLI_BIND", "127.0.0.1:0",
                "KAFKA_COMMIT_INTERVAL_MS", "200"));
        catalog = TopicCatalog.of(prefix, 3, (short) 1);
        clients = new KafkaClientSettings(config);
        try (Admin admin = Admin.create(clients.admin())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        }
        List<ReproApp> found = new ArrayList<>();
        ServiceLoader.load(ReproApp.class).forEach(found::add);
        found.sort(Comparator.comparingInt(ReproApp::order));
        assertThat(found).extracting(ReproApp::name).contains("ingest", "verifier", "drift-detector", "sli-aggregator");
        for (ReproApp app : found) {
            APPS.add(app.start(config));
        }
        String ingestUrl = APPS.stream().filter(IngestService.class::isInstance).map(a -> ((IngestService) a).url())
                .findFirst().orElseThrow();

        story = DemoStory.endingBefore(Instant.now());
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        int accepted = new DemoFeed(new IngestClient(ingestUrl, null, null), new PrintStream(shown, true, StandardCharsets.UTF_8),
                Duration.ZERO).feed(story, Duration.ofSeconds(90));
        assertThat(accepted).as(shown.toString(StandardCharsets.UTF_8)).isEqualTo(story.steps().size());
    }

    @AfterAll
    static void stopApps() {
        APPS.forEach(RunningApp::close);
    }

    @Test
    @Order(1)
    void shouldDeriveEveryVerdictDriftAlertAndSliTheStoryImplies() {
        Results results = new Results(clients, catalog);
        String forecast = story.runId("forecast");
        String usOne = "checkout/prod/us-1";
        results.awaitUntil(r -> r.latest(TopicId.REBUILD_VERDICTS).size() == 3
                && r.latest(TopicId.REPLAY_VERDICTS).size() == 3
                && r.all(TopicId.DRIFT, usOne).stream().anyMatch(d -> ((DriftStatus) d).getClosedIncidentId() != null)
                && r.all(TopicId.ALERTS, "drift/" + usOne).stream().anyMatch(a -> ((Alert) a).getStatus() == AlertStatus.RESOLVED)
                && r.sliIs("artifact_reproducibility_rate", 2, 3) && r.sliIs("replay_success_rate", 2, 3)
                && r.sliIs("test_reproducibility_rate", 1, 2) && r.sliIs("build_provenance_completeness", 6, 6)
                && r.sliIs("data_provenance_coverage", 6, 6)
                && r.latest(TopicId.SLI).get("drift_incidents/global/1d") instanceof SliValue incidents
                && incidents.getGood() == 1);

        // rebuilds: two reproducible services, one not, with its real causes as suspects
        assertThat(results.rebuild(story.recipeKey("checkout")).getStatus()).isEqualTo(RebuildStatus.REPRODUCIBLE);
        assertThat(results.rebuild(story.recipeKey("payments")).getStatus()).isEqualTo(RebuildStatus.REPRODUCIBLE);
        RebuildVerdict search = results.rebuild(story.recipeKey("search"));
        assertThat(search.getStatus()).isEqualTo(RebuildStatus.UNREPRODUCIBLE);
        assertThat(search.getDigests()).hasSize(2);
        assertThat(search.getSuspects()).extracting(Suspect::getPath)
                .contains("environment.TZ", "environment.SOURCE_DATE_EPOCH");

        // replays: the production forecast mismatches because of its seed; the others match
        ReplayVerdict forecastVerdict = results.replay(forecast);
        assertThat(forecastVerdict.getStatus()).isEqualTo(ReplayStatus.MISMATCH);
        assertThat(forecastVerdict.getCauses()).contains(ReplayCause.SEED_DIFFERS);
        assertThat(results.replay(story.runId("ranker")).getStatus()).isEqualTo(ReplayStatus.MATCH);
        assertThat(results.replay(story.runId("churn")).getStatus()).isEqualTo(ReplayStatus.MATCH_WITHIN_TOLERANCE);

        // drift: us-1's hotfix (minute 30) is drift once its convergence grace ends (minute 40); the
        // rollback seen at minute 55 closes that one incident after 15 minutes of event time
        List<DriftStatus> usOneHistory = results.all(TopicId.DRIFT, usOne).stream().map(DriftStatus.class::cast).toList();
        DriftStatus drifted = usOneHistory.stream().filter(d -> d.getStatus() == DriftState.DRIFTED).findFirst().orElseThrow();
        assertThat(drifted.getReasons()).contains(DriftReason.ARTIFACT_MISMATCH);
        assertThat(drifted.getObservedArtifactDigest()).isEqualTo(story.artifactDigest("checkout", "hotfix"));
        assertThat(drifted.getDesiredArtifactDigest()).isEqualTo(story.artifactDigest("checkout", "ci"));
        DriftStatus closed = usOneHistory.stream().filter(d -> d.getClosedIncidentId() != null).findFirst().orElseThrow();
        assertThat(closed.getStatus()).isEqualTo(DriftState.IN_SYNC);
        assertThat(closed.getClosedIncidentId()).isEqualTo(drifted.getIncidentId());
        assertThat(drifted.getSince()).isEqualTo(story.start().plus(Duration.ofMinutes(40)));
        assertThat(closed.getClosedIncidentDurationMs()).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(((DriftStatus) results.latest(TopicId.DRIFT).get("checkout/prod/eu-1")).getStatus()).isEqualTo(DriftState.IN_SYNC);
        assertThat(((DriftStatus) results.latest(TopicId.DRIFT).get("payments/staging/eu-1")).getStatus())
                .isEqualTo(DriftState.IN_SYNC);

        // alerts: the production replay pages, the unreproducible build opens a ticket, the prod drift pages then resolves
        Alert replayAlert = results.alert("replay/" + story.codeDigest("forecast"));
        assertThat(replayAlert.getKind()).isEqualTo(AlertKind.REPLAY_FAILED);
        assertThat(replayAlert.getSeverity()).isEqualTo(Severity.PAGE);
        assertThat(replayAlert.getStatus()).isEqualTo(AlertStatus.FIRING);
        Alert rebuildAlert = results.alert("rebuild/" + story.artifact("search"));
        assertThat(rebuildAlert.getKind()).isEqualTo(AlertKind.UNREPRODUCIBLE_BUILD);
        assertThat(rebuildAlert.getSeverity()).isEqualTo(Severity.TICKET);
        List<Alert> driftAlerts = results.all(TopicId.ALERTS, "drift/" + usOne).stream().map(Alert.class::cast).toList();
        assertThat(driftAlerts).extracting(Alert::getStatus).containsSubsequence(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(driftAlerts).allSatisfy(a -> assertThat(a.getSeverity()).isEqualTo(Severity.PAGE));
        assertThat(results.latest(TopicId.ALERTS)).doesNotContainKey("replay/" + story.codeDigest("ranker"));

        // SLIs over the story's day, global scope
        assertThat(results.sli("artifact_reproducibility_rate")).satisfies(s -> assertRatio(s, 2, 3));
        assertThat(results.sli("replay_success_rate")).satisfies(s -> assertRatio(s, 2, 3));
        assertThat(results.sli("test_reproducibility_rate")).satisfies(s -> assertRatio(s, 1, 2));
        assertThat(results.sli("build_provenance_completeness")).satisfies(s -> assertRatio(s, 6, 6));
        assertThat(results.sli("data_provenance_coverage")).satisfies(s -> assertRatio(s, 6, 6));
        assertThat(results.sli("drift_incidents").getGood()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void shouldRebuildEveryDerivedTopicFromTheArchiveIdenticalToTheLiveOnes() throws Exception {
        new Results(clients, catalog).awaitUntil(r -> r.all(TopicId.ALERTS, "drift/checkout/prod/us-1").stream()
                .anyMatch(a -> ((Alert) a).getStatus() == AlertStatus.RESOLVED));
        List<String> progress = new ArrayList<>();
        List<TopicComparison> comparisons = new ArchiveReplay(config, KAFKA.uniquePrefix(), Duration.ofMinutes(3), progress::add).run();

        assertThat(comparisons).extracting(TopicComparison::live)
                .containsExactlyElementsOf(ArchiveReplay.RESULTS.stream().map(catalog::name).toList());
        for (TopicComparison c : comparisons) {
            assertThat(c.liveKeys()).as(c.live() + " has results").isPositive();
            assertThat(c.identical()).as(c + "; progress: " + progress + "; first difference: " + firstDifference(c)).isTrue();
        }
    }

    private static String firstDifference(TopicComparison c) {
        if (c.differing().isEmpty()) {
            return "none";
        }
        String key = c.differing().get(0);
        RecordJson json = RecordJson.create();
        byte[] live = TopicComparison.latest(clients, c.live()).get(key);
        byte[] replayed = TopicComparison.latest(clients, c.replayed()).get(key);
        return key + ": live " + (live == null ? null : json.toJson(live)) + " replayed " + (replayed == null ? null : json.toJson(replayed))
                + "\nlive history:\n" + history(c.live()) + "\nreplayed history:\n" + history(c.replayed());
    }

    /** Every record of a topic, one line each: partition, offset, key and the fields that tell statuses apart. */
    private static String history(String topic) {
        Map<String, Object> settings = new HashMap<>(clients.consumer(null));
        settings.put("isolation.level", "read_committed");
        StringBuilder out = new StringBuilder();
        RecordJson json = RecordJson.create();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (int i = 0; i < 6; i++) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    var v = json.toJson(r.value());
                    out.append(r.partition()).append('/').append(r.offset()).append(' ').append(r.key()).append(' ')
                            .append(v.path("status").asText()).append(' ').append(v.path("reasons")).append(" obs=")
                            .append(v.path("observed_event_id").asText()).append(" as_of=").append(v.path("as_of").asText())
                            .append('\n');
                }
            }
        }
        return out.toString();
    }

    private static void assertRatio(SliValue sli, long good, long total) {
        assertThat(sli.getGood()).as(sli.getSli() + " good").isEqualTo(good);
        assertThat(sli.getTotal()).as(sli.getSli() + " total").isEqualTo(total);
        assertThat(sli.getValue()).as(sli.getSli() + " value").isCloseTo((double) good / total, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** Every record of the result topics so far, decoded, with the story's questions about them. */
    private static final class Results {

        private final ResultTopics topics;

        Results(KafkaClientSettings clients, TopicCatalog catalog) {
            this.topics = new ResultTopics(clients.consumer(null), catalog,
                    List.of(TopicId.REBUILD_VERDICTS, TopicId.REPLAY_VERDICTS, TopicId.DRIFT, TopicId.ALERTS, TopicId.SLI));
        }

        void awaitUntil(Predicate<Results> done) {
            long deadline = System.nanoTime() + RESULTS_WITHIN.toNanos();
            try (topics) {
                while (!done.test(this)) {
                    assertThat(System.nanoTime()).as("the story's results within " + RESULTS_WITHIN.toSeconds() + " s; so far: "
                            + topics.summary()).isLessThan(deadline);
                    topics.poll(Duration.ofMillis(500));
                }
            }
        }

        List<Object> all(TopicId topic, String key) {
            return topics.all(topic, key);
        }

        Map<String, Object> latest(TopicId topic) {
            return topics.latest(topic);
        }

        RebuildVerdict rebuild(String recipeKey) {
            return (RebuildVerdict) assertPresent(TopicId.REBUILD_VERDICTS, recipeKey);
        }

        ReplayVerdict replay(String originalRunId) {
            return (ReplayVerdict) assertPresent(TopicId.REPLAY_VERDICTS, originalRunId);
        }

        Alert alert(String key) {
            return (Alert) assertPresent(TopicId.ALERTS, key);
        }

        /** The story's global 1d value of {@code sli} has reached {@code good} of {@code total}. */
        boolean sliIs(String sli, long good, long total) {
            Object value = latest(TopicId.SLI).get(sli + "/global/1d");
            return value instanceof SliValue v && v.getGood() == good && v.getTotal() == total;
        }

        SliValue sli(String sli) {
            return (SliValue) assertPresent(TopicId.SLI, sli + "/global/1d");
        }

        private Object assertPresent(TopicId topic, String key) {
            assertThat(latest(topic)).as(topic + " keys").containsKey(key);
            return latest(topic).get(key);
        }
    }
}
