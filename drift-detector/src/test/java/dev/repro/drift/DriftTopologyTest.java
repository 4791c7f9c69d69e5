package dev.repro.drift;

import static dev.repro.drift.Fixtures.CONFIG_1;
import static dev.repro.drift.Fixtures.CONFIG_2;
import static dev.repro.drift.Fixtures.DIGEST_A;
import static dev.repro.drift.Fixtures.DIGEST_B;
import static dev.repro.drift.Fixtures.DIGEST_X;
import static dev.repro.drift.Fixtures.aDeployment;
import static dev.repro.drift.Fixtures.aDesiredState;
import static dev.repro.drift.Fixtures.minute;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.repro.config.ReproConfig;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.DeadLetters;
import dev.repro.streams.LateEventGate;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.streams.TimeIndex;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

class DriftTopologyTest {

    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Duration RETENTION = Duration.ofDays(2);
    private static final Duration LATENESS = Duration.ofHours(6);
    private static final String EU = "shop/prod/eu-1";

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();
    private final TopicCatalog catalog = TopicCatalog.defaults();
    private TopologyTestDriver driver;
    private TestInputTopic<String, DesiredState> desired;
    private TestInputTopic<String, DeploymentEvent> deployments;
    private TestInputTopic<String, byte[]> rawDesired;
    private TestInputTopic<String, byte[]> rawDeployments;
    private TestOutputTopic<String, DriftStatus> drift;
    private TestOutputTopic<String, RejectedEvent> deadLetters;
    private final List<TestRecord<String, DriftStatus>> emitted = new ArrayList<>();

    @BeforeEach
    void startDriver() {
        ReproConfig config = ReproConfig.of(Map.of(StreamsAppRunner.STATE_DIR, stateDir.toString()));
        Properties props = StreamsAppRunner.properties(config, "drift-test");
        // The driver drops records a deserialization handler dead-letters when it simulates
        // exactly_once_v2 (the broker does not); it runs one task synchronously, so the
        // guarantee changes nothing else here.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        DriftConfig settings = new DriftConfig("drift-test", GRACE, RETENTION, LATENESS);
        driver = new TopologyTestDriver(new DriftTopology(catalog, serdes, settings).build(), props);
        StringSerializer keys = new StringSerializer();
        desired = driver.createInputTopic(catalog.name(TopicId.DESIRED), keys, serdes.serde(DesiredState.class).serializer());
        deployments = driver.createInputTopic(catalog.name(TopicId.DEPLOYMENTS), keys,
                serdes.serde(DeploymentEvent.class).serializer());
        rawDesired = driver.createInputTopic(catalog.name(TopicId.DESIRED), keys, new ByteArraySerializer());
        rawDeployments = driver.createInputTopic(catalog.name(TopicId.DEPLOYMENTS), keys, new ByteArraySerializer());
        drift = driver.createOutputTopic(catalog.name(TopicId.DRIFT), new StringDeserializer(),
                serdes.serde(DriftStatus.class).deserializer());
        deadLetters = driver.createOutputTopic(catalog.name(TopicId.DEAD_LETTER), new StringDeserializer(),
                serdes.serde(RejectedEvent.class).deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(Fixtures.DesiredBuilder state) {
        desired.pipeInput(state.key(), state.build());
    }

    private void send(Fixtures.DeploymentBuilder deployment) {
        deployments.pipeInput(deployment.key(), deployment.build());
    }

    /** Moves stream time to {@code minutes} with a deployment of an unrelated service. */
    private void advanceTo(long minutes) {
        send(aDeployment().forService("clock").inEnvironment("ops").inCluster("c").atMinute(minutes));
    }

    /** Every status written so far for {@code target}, in order. */
    private List<DriftStatus> statuses(String target) {
        emitted.addAll(drift.readRecordsToList());
        return emitted.stream().filter(r -> r.key().equals(target)).map(TestRecord::value).toList();
    }

    private TestRecord<String, DriftStatus> lastRecord(String target) {
        emitted.addAll(drift.readRecordsToList());
        List<TestRecord<String, DriftStatus>> mine = emitted.stream().filter(r -> r.key().equals(target)).toList();
        assertThat(mine).as("statuses of " + target).isNotEmpty();
        return mine.get(mine.size() - 1);
    }

    private void inSyncWithA(String... clusters) {
        send(aDesiredState().withArtifact(DIGEST_A).atMinute(0));
        for (int i = 0; i < clusters.length; i++) {
            send(aDeployment().inCluster(clusters[i]).withArtifact(DIGEST_A).atMinute(1 + i));
        }
    }

    // ---- in sync, rollouts and the grace ----

    @Test
    void shouldReportInSyncWhenTheClusterRunsTheDesiredDigests() {
        send(aDesiredState().withId("d1").withArtifact(DIGEST_A).withConfig(CONFIG_1).atMinute(0));
        send(aDeployment().withId("p1").withArtifact(DIGEST_A).withConfig(CONFIG_1).atMinute(1)
                .withLabels(Map.of("team", "payments", "repo", "shop")));

        TestRecord<String, DriftStatus> record = lastRecord(EU);
        DriftStatus status = record.value();
        assertThat(status.getStatus()).isEqualTo(DriftState.IN_SYNC);
        assertThat(status.getReasons()).isEmpty();
        assertThat(status.getTarget()).isEqualTo(EU);
        assertThat(status.getCluster()).isEqualTo("eu-1");
        assertThat(status.getDesiredArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(status.getObservedArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(status.getDesiredConfigDigest()).isEqualTo(CONFIG_1);
        assertThat(status.getObservedConfigDigest()).isEqualTo(CONFIG_1);
        assertThat(status.getGitCommit()).isEqualTo(Fixtures.COMMIT);
        assertThat(status.getDesiredEventId()).isEqualTo("d1");
        assertThat(status.getObservedEventId()).isEqualTo("p1");
        assertThat(status.getLabels()).containsEntry("repo", "shop");
        assertThat(status.getSince()).isNull();
        assertThat(status.getIncidentId()).isNull();
        assertThat(status.getAsOf()).isEqualTo(minute(1));
        assertThat(record.timestamp()).isEqualTo(minute(1).toEpochMilli());
    }

    @Test
    void shouldNotReportDriftForARolloutThatConvergesWithinTheGrace() {
        inSyncWithA("eu-1");
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(60));
        send(aDeployment().withArtifact(DIGEST_A).observed().atMinute(62));
        send(aDeployment().withArtifact(DIGEST_B).atMinute(70));
        advanceTo(120);

        List<DriftStatus> out = statuses(EU);
        assertThat(out).extracting(DriftStatus::getStatus).containsOnly(DriftState.IN_SYNC);
        assertThat(out).extracting(DriftStatus::getObservedArtifactDigest).containsExactly(DIGEST_A, DIGEST_B);
        assertThat(out).extracting(DriftStatus::getIncidentId).containsOnlyNulls();
    }

    @Test
    void shouldDeclareDriftAtTheEndOfTheGraceWithoutAnotherEventForTheTarget() {
        inSyncWithA("eu-1");
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(60));
        advanceTo(70);
        assertThat(statuses(EU)).as("the grace ends at minute 70, inclusive").hasSize(1);

        advanceTo(71);

        TestRecord<String, DriftStatus> record = lastRecord(EU);
        DriftStatus status = record.value();
        assertThat(status.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(status.getReasons()).containsExactly(DriftReason.ARTIFACT_MISMATCH);
        assertThat(status.getDesiredArtifactDigest()).isEqualTo(DIGEST_B);
        assertThat(status.getObservedArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(status.getSince()).isEqualTo(minute(70));
        assertThat(status.getAsOf()).isEqualTo(minute(70));
        assertThat(record.timestamp()).isEqualTo(minute(70).toEpochMilli());
        assertThat(status.getIncidentId()).isEqualTo(EU + "@2026-03-01T13:10:00Z");
    }

    @Test
    void shouldFileOneEndOfGraceAtATimeHoweverOftenItsEnvironmentIsReviewedMeanwhile() {
        TestOutputTopic<String, String> filed = driver.createOutputTopic(
                "drift-test-" + DriftDetector.DEADLINES_STORE + "-changelog", new StringDeserializer(), new StringDeserializer());
        inSyncWithA("eu-1", "eu-2");
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(60));
        // the rollout reaches eu-2 only: every deployment reviews the environment, eu-1 still converging
        for (int minute = 61; minute <= 65; minute++) {
            send(aDeployment().withId("p" + minute).inCluster("eu-2").withArtifact(minute % 2 == 0 ? DIGEST_B : DIGEST_A)
                    .atMinute(minute));
        }

        advanceTo(71);

        List<TestRecord<String, String>> writes = filed.readRecordsToList();
        assertThat(writes).filteredOn(w -> w.value() != null).extracting(w -> TimeIndex.timeOf(w.key()))
                .as("eu-1's end of grace (minute 70), then, at its review, eu-2's last (its A at minute 65),"
                        + " not one per deployment that restarted eu-2's grace")
                .containsExactly(minute(70).toEpochMilli(), minute(75).toEpochMilli());
        assertThat(lastRecord(EU).value().getStatus()).isEqualTo(DriftState.DRIFTED);
        advanceTo(76);
        assertThat(lastRecord("shop/prod/eu-2").value().getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(lastRecord("shop/prod/eu-2").value().getSince()).isEqualTo(minute(75));
    }

    @Test
    void shouldDeclareAManualHotfixWithAnotherDigestDriftedOnceTheDeploysGraceEnds() {
        inSyncWithA("eu-1");
        send(aDeployment().withArtifact(DIGEST_X).atMinute(30));
        advanceTo(40);
        assertThat(statuses(EU)).as("a deploy gets the grace too: its desired state may be on its way").hasSize(1);

        advanceTo(41);

        DriftStatus status = lastRecord(EU).value();
        assertThat(status.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(status.getReasons()).containsExactly(DriftReason.ARTIFACT_MISMATCH);
        assertThat(status.getObservedArtifactDigest()).isEqualTo(DIGEST_X);
        assertThat(status.getDesiredArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(status.getImageRef()).isEqualTo("registry.example/shop@" + DIGEST_X);
        assertThat(status.getSince()).isEqualTo(minute(40));
    }

    @Test
    void shouldNotReportAHotfixRevertedWithinTheGrace() {
        inSyncWithA("eu-1");
        send(aDeployment().withArtifact(DIGEST_X).atMinute(30));
        send(aDeployment().withArtifact(DIGEST_A).atMinute(35));
        advanceTo(60);

        assertThat(statuses(EU)).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(DriftState.IN_SYNC));
    }

    @Test
    void shouldDeclareAConfigOnlyChangeNotRolledOutDriftedAfterTheGrace() {
        send(aDesiredState().withArtifact(DIGEST_A).withConfig(CONFIG_1).atMinute(0));
        send(aDeployment().withArtifact(DIGEST_A).withConfig(CONFIG_1).atMinute(1));
        send(aDesiredState().withArtifact(DIGEST_A).withConfig(CONFIG_2).withCommit("f".repeat(40)).atMinute(60));
        send(aDeployment().withArtifact(DIGEST_A).withConfig(CONFIG_1).observed().atMinute(65));
        assertThat(statuses(EU)).hasSize(1);

        advanceTo(71);

        DriftStatus status = lastRecord(EU).value();
        assertThat(status.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(status.getReasons()).containsExactly(DriftReason.CONFIG_MISMATCH);
        assertThat(status.getDesiredConfigDigest()).isEqualTo(CONFIG_2);
        assertThat(status.getObservedConfigDigest()).isEqualTo(CONFIG_1);
        assertThat(status.getObservedArtifactDigest()).isEqualTo(status.getDesiredArtifactDigest());
        assertThat(status.getGitCommit()).isEqualTo("f".repeat(40));
    }

    @Test
    void shouldReportADeployByMutableTagUnverifiable() {
        send(aDesiredState().withArtifact(DIGEST_A).atMinute(0));
        send(aDeployment().byTag("latest").atMinute(30));
        advanceTo(41);

        DriftStatus status = lastRecord(EU).value();
        assertThat(status.getStatus()).isEqualTo(DriftState.UNVERIFIABLE);
        assertThat(status.getReasons()).containsExactly(DriftReason.MUTABLE_REFERENCE);
        assertThat(status.getObservedArtifactDigest()).isNull();
        assertThat(status.getImageRef()).isEqualTo("registry.example/shop:latest");
        assertThat(status.getIncidentId()).isEqualTo(EU + "@2026-03-01T12:40:00Z");
    }

    // ---- clusters of one environment ----

    @Test
    void shouldFlagTheOneClusterOfThreeLeftBehindADesiredState() {
        inSyncWithA("eu-1", "eu-2", "eu-3");
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(60));
        send(aDeployment().inCluster("eu-1").withArtifact(DIGEST_B).atMinute(62));
        send(aDeployment().inCluster("eu-2").withArtifact(DIGEST_B).atMinute(64));
        advanceTo(71);

        DriftStatus behind = lastRecord("shop/prod/eu-3").value();
        assertThat(behind.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(behind.getReasons()).containsExactly(DriftReason.ARTIFACT_MISMATCH, DriftReason.CROSS_CLUSTER_MISMATCH);
        assertThat(behind.getSince()).isEqualTo(minute(70));
        for (String target : List.of("shop/prod/eu-1", "shop/prod/eu-2")) {
            assertThat(statuses(target)).extracting(DriftStatus::getStatus).containsOnly(DriftState.IN_SYNC);
            assertThat(lastRecord(target).value().getObservedArtifactDigest()).isEqualTo(DIGEST_B);
        }
    }

    @Test
    void shouldFlagTheOneClusterOfThreeLeftBehindItsSiblingsWithoutADesiredState() {
        for (String cluster : List.of("eu-1", "eu-2", "eu-3")) {
            send(aDeployment().inCluster(cluster).withArtifact(DIGEST_A).atMinute(0));
        }
        send(aDeployment().inCluster("eu-1").withArtifact(DIGEST_B).atMinute(30));
        send(aDeployment().inCluster("eu-2").withArtifact(DIGEST_B).atMinute(32));
        advanceTo(42);
        assertThat(statuses("shop/prod/eu-3")).as("the rollout may take until 10 minutes after its latest step")
                .extracting(DriftStatus::getStatus).containsOnly(DriftState.IN_SYNC);

        advanceTo(43);

        DriftStatus behind = lastRecord("shop/prod/eu-3").value();
        assertThat(behind.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(behind.getReasons()).containsExactly(DriftReason.CROSS_CLUSTER_MISMATCH);
        assertThat(behind.getDesiredArtifactDigest()).isNull();
        assertThat(behind.getObservedArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(behind.getSince()).isEqualTo(minute(42));
        assertThat(statuses("shop/prod/eu-1")).extracting(DriftStatus::getStatus).containsOnly(DriftState.IN_SYNC);

        send(aDeployment().inCluster("eu-3").withArtifact(DIGEST_B).atMinute(50));

        DriftStatus caughtUp = lastRecord("shop/prod/eu-3").value();
        assertThat(caughtUp.getStatus()).isEqualTo(DriftState.IN_SYNC);
        assertThat(caughtUp.getClosedIncidentId()).isEqualTo(behind.getIncidentId());
        assertThat(caughtUp.getClosedIncidentDurationMs()).isEqualTo(Duration.ofMinutes(8).toMillis());
    }

    @Test
    void shouldApplyAnEnvironmentWideDesiredStateToEveryClusterWithoutItsOwn() {
        send(aDesiredState().withArtifact(DIGEST_A).atMinute(0));
        send(aDesiredState().forCluster("us-1").withArtifact(DIGEST_B).atMinute(0));
        send(aDeployment().inCluster("eu-1").withArtifact(DIGEST_A).atMinute(1));
        send(aDeployment().inCluster("us-1").withArtifact(DIGEST_B).atMinute(2));
        send(aDeployment().inCluster("ap-1").withArtifact(DIGEST_B).atMinute(30));
        advanceTo(41);

        assertThat(lastRecord(EU).value().getStatus()).isEqualTo(DriftState.IN_SYNC);
        DriftStatus overridden = lastRecord("shop/prod/us-1").value();
        assertThat(overridden.getStatus()).isEqualTo(DriftState.IN_SYNC);
        assertThat(overridden.getDesiredArtifactDigest()).isEqualTo(DIGEST_B);
        DriftStatus other = lastRecord("shop/prod/ap-1").value();
        assertThat(other.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(other.getDesiredArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(other.getReasons()).contains(DriftReason.ARTIFACT_MISMATCH);
    }

    @Test
    void shouldStartTheGraceOfEveryClusterWhenTheEnvironmentWideDesiredStateChanges() {
        inSyncWithA("eu-1", "eu-2");
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(60));
        advanceTo(71);

        assertThat(lastRecord(EU).value().getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(lastRecord("shop/prod/eu-2").value().getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(lastRecord("shop/prod/eu-2").value().getReasons()).containsExactly(DriftReason.ARTIFACT_MISMATCH);
    }

    // ---- incidents ----

    @Test
    void shouldKeepTheIncidentIdWhileOpenAndCloseItWithItsDuration() {
        inSyncWithA("eu-1");
        send(aDeployment().withArtifact(DIGEST_X).atMinute(30));
        advanceTo(41);
        send(aDeployment().byTag("hotfix").atMinute(50));
        advanceTo(61);
        send(aDeployment().withArtifact(DIGEST_A).atMinute(65));

        List<DriftStatus> out = statuses(EU);
        assertThat(out).extracting(DriftStatus::getStatus).containsExactly(DriftState.IN_SYNC, DriftState.DRIFTED,
                DriftState.UNVERIFIABLE, DriftState.IN_SYNC);
        String incident = EU + "@2026-03-01T12:40:00Z";
        assertThat(out).extracting(DriftStatus::getIncidentId).containsExactly(null, incident, incident, null);
        assertThat(out).extracting(DriftStatus::getSince).containsExactly(null, minute(40), minute(40), null);
        assertThat(out).extracting(DriftStatus::getAsOf).containsExactly(minute(1), minute(40), minute(60), minute(65));
        assertThat(out).extracting(DriftStatus::getClosedIncidentId).containsExactly(null, null, null, incident);
        assertThat(out.get(3).getClosedIncidentDurationMs()).isEqualTo(Duration.ofMinutes(25).toMillis());
    }

    @Test
    void shouldCloseTheIncidentWhenTheDesiredStateIsRemoved() {
        inSyncWithA("eu-1");
        send(aDeployment().withArtifact(DIGEST_X).atMinute(30));
        advanceTo(41);
        desired.pipeInput("shop/prod", null, minute(45));

        DriftStatus status = lastRecord(EU).value();
        assertThat(status.getStatus()).isEqualTo(DriftState.IN_SYNC);
        assertThat(status.getDesiredArtifactDigest()).isNull();
        assertThat(status.getClosedIncidentId()).isEqualTo(EU + "@2026-03-01T12:40:00Z");
        assertThat(status.getClosedIncidentDurationMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
    }

    // ---- order of arrival ----

    @Test
    void shouldCompareWithADesiredStateDeclaredAfterTheDeployment() {
        send(aDeployment().withArtifact(DIGEST_A).atMinute(0));
        send(aDesiredState().withArtifact(DIGEST_A).atMinute(5));

        List<DriftStatus> out = statuses(EU);
        assertThat(out).extracting(DriftStatus::getStatus).containsExactly(DriftState.IN_SYNC, DriftState.IN_SYNC);
        assertThat(out).extracting(DriftStatus::getDesiredArtifactDigest).containsExactly(null, DIGEST_A);
        assertThat(out.get(1).getAsOf()).isEqualTo(minute(5));
    }

    @Test
    void shouldGiveADesiredStateArrivingLateItsGraceFromItsEventTime() {
        send(aDeployment().withArtifact(DIGEST_A).atMinute(1));
        advanceTo(8);
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(5));
        advanceTo(15);
        assertThat(statuses(EU)).extracting(DriftStatus::getStatus).containsExactly(DriftState.IN_SYNC);

        advanceTo(16);

        DriftStatus status = lastRecord(EU).value();
        assertThat(status.getStatus()).isEqualTo(DriftState.DRIFTED);
        assertThat(status.getSince()).isEqualTo(minute(15));
    }

    @Test
    void shouldNotOpenAnIncidentWhenADeployArrivesBeforeItsDesiredState() {
        inSyncWithA("eu-1");
        send(aDeployment().withArtifact(DIGEST_B).atMinute(30));
        send(aDesiredState().withArtifact(DIGEST_B).atMinute(32));
        advanceTo(60);

        List<DriftStatus> out = statuses(EU);
        assertThat(out).extracting(DriftStatus::getStatus).containsOnly(DriftState.IN_SYNC);
        assertThat(out).extracting(DriftStatus::getObservedArtifactDigest).containsExactly(DIGEST_A, DIGEST_B);
    }

    @Test
    void shouldKeepTheLatestDeploymentByEventTimeWhateverTheOrderOfArrival() {
        inSyncWithA("eu-1");
        send(aDeployment().withArtifact(DIGEST_A).atMinute(20));
        send(aDeployment().withArtifact(DIGEST_X).atMinute(10));

        assertThat(statuses(EU)).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(DriftState.IN_SYNC));
    }

    @Test
    void shouldEmitOnlyWhenTheStatusOrItsDigestsChange() {
        inSyncWithA("eu-1");
        for (int m = 2; m < 30; m++) {
            send(aDeployment().withArtifact(DIGEST_A).observed().atMinute(m));
        }
        send(aDesiredState().withArtifact(DIGEST_A).withCommit("e".repeat(40)).atMinute(31));

        assertThat(statuses(EU)).hasSize(1);
    }

    @Test
    void shouldIgnoreDuplicateEvents() {
        Fixtures.DesiredBuilder declared = aDesiredState().withArtifact(DIGEST_A).atMinute(0);
        Fixtures.DeploymentBuilder deployed = aDeployment().withArtifact(DIGEST_A).atMinute(1);
        send(declared);
        send(deployed);
        send(deployed);
        send(declared);
        Fixtures.DesiredBuilder rollout = aDesiredState().withArtifact(DIGEST_B).atMinute(60);
        send(rollout);
        advanceTo(71);
        send(rollout);
        advanceTo(90);

        List<DriftStatus> out = statuses(EU);
        assertThat(out).extracting(DriftStatus::getStatus).containsExactly(DriftState.IN_SYNC, DriftState.DRIFTED);
        assertThat(out.get(1).getSince()).as("a duplicate desired state starts no new grace").isEqualTo(minute(70));
    }

    @Test
    void shouldNameTheDefaultClusterOfADeploymentWithoutClusterAsIngestKeysIt() {
        send(aDeployment().inCluster(null).withArtifact(DIGEST_A).atMinute(0));

        DriftStatus status = lastRecord("shop/prod/default").value();
        assertThat(status.getCluster()).isEqualTo("default");
    }

    // ---- records it cannot use ----

    @Test
    void shouldDeadLetterPoisonRecordsAndKeepProcessing() {
        byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
        rawDesired.pipeInput("shop/prod", poison);
        rawDeployments.pipeInput(EU, java.util.Arrays.copyOf(serdes.serialize(aDeployment().build()), 14));
        inSyncWithA("eu-1");

        List<RejectedEvent> dead = deadLetters.readValuesToList();
        assertThat(dead).extracting(RejectedEvent::getRule).containsExactly(DeadLetters.UNDECODABLE, DeadLetters.UNDECODABLE);
        assertThat(dead).extracting(RejectedEvent::getTopic)
                .containsExactly(catalog.name(TopicId.DESIRED), catalog.name(TopicId.DEPLOYMENTS));
        assertThat(dead.get(0).getRaw().array()).isEqualTo(poison);
        assertThat(lastRecord(EU).value().getStatus()).isEqualTo(DriftState.IN_SYNC);
    }

    @Test
    void shouldDeadLetterEventsLaterThanTheLatenessGrace() {
        advanceTo(Duration.ofHours(7).toMinutes());
        send(aDeployment().withId("stale").withArtifact(DIGEST_X).atMinute(0));
        send(aDesiredState().withId("stale-desired").withArtifact(DIGEST_A).atMinute(0));

        List<RejectedEvent> dead = deadLetters.readValuesToList();
        assertThat(dead).extracting(RejectedEvent::getRule).containsOnly(LateEventGate.LATE_EVENT);
        assertThat(dead).extracting(RejectedEvent::getId).containsExactly("stale", "stale-desired");
        assertThat(serdes.deserialize(DeploymentEvent.class, dead.get(0).getRaw().array()).getId()).isEqualTo("stale");
        assertThat(statuses(EU)).isEmpty();
    }

    @Test
    void shouldDeadLetterARecordWhoseKeyIsNotItsTarget() {
        deployments.pipeInput("shop/staging/eu-1", aDeployment().withId("wrong-env").build());
        deployments.pipeInput("shop/prod", aDeployment().withId("no-cluster").build());
        desired.pipeInput("shop/prod/eu-1", aDesiredState().withId("cluster-in-key-only").build());

        List<RejectedEvent> dead = deadLetters.readValuesToList();
        assertThat(dead).extracting(RejectedEvent::getRule).containsOnly(TargetKeyGate.BAD_KEY);
        assertThat(dead).extracting(RejectedEvent::getId).containsExactly("wrong-env", "no-cluster", "cluster-in-key-only");
        assertThat(drift.isEmpty()).isTrue();
    }

    // ---- state bounds ----

    @Test
    void shouldForgetAnEnvironmentRemovedFromTheDesiredStateAfterTheRetention() {
        inSyncWithA("eu-1");
        send(aDesiredState().inEnvironment("staging").withArtifact(DIGEST_A).atMinute(0));
        send(aDeployment().inEnvironment("staging").withArtifact(DIGEST_A).atMinute(1));
        desired.pipeInput("shop/prod", null, minute(2));
        var store = driver.<String, EnvironmentDrift>getKeyValueStore(DriftDetector.ENVIRONMENTS_STORE);
        assertThat(store.get("shop/prod")).isNotNull();

        advanceTo(RETENTION.toMinutes() + 1);
        assertThat(store.get("shop/prod")).as("its last deployment is not older than the retention yet").isNotNull();

        advanceTo(RETENTION.toMinutes() + 3);
        assertThat(store.get("shop/prod")).isNull();
        assertThat(store.get("shop/staging")).as("still declared in Git").isNotNull();
        assertThat(statuses(EU).get(statuses(EU).size() - 1).getDesiredArtifactDigest()).isNull();
    }

    @Test
    void shouldForgetAnEnvironmentWhoseDesiredStateIsRemovedLongAfterItsLastDeployment() {
        send(aDesiredState().inEnvironment("staging").withArtifact(DIGEST_A).atMinute(0));
        send(aDeployment().inEnvironment("staging").withArtifact(DIGEST_A).atMinute(1));
        var store = driver.<String, EnvironmentDrift>getKeyValueStore(DriftDetector.ENVIRONMENTS_STORE);
        advanceTo(RETENTION.toMinutes() + 3);
        assertThat(store.get("shop/staging")).as("still declared in Git").isNotNull();

        desired.pipeInput("shop/staging", null, minute(RETENTION.toMinutes() + 4));
        advanceTo(RETENTION.toMinutes() * 2 + 10);

        assertThat(store.get("shop/staging")).as("no desired state and no deployment within the retention").isNull();
    }

    @Test
    void shouldStartAfreshWhenAForgottenEnvironmentDeploysAgain() {
        send(aDeployment().withArtifact(DIGEST_A).atMinute(0));
        Instant later = minute(RETENTION.toMinutes() + 60);
        advanceTo(RETENTION.toMinutes() + 30);
        send(aDeployment().withArtifact(DIGEST_A).at(later));

        assertThat(statuses(EU)).hasSize(2);
        assertThat(lastRecord(EU).value().getAsOf()).isEqualTo(later);
    }
}
