package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.DIGEST_B;
import static dev.repro.verifier.Fixtures.aBuild;
import static dev.repro.verifier.Fixtures.aRun;
import static dev.repro.verifier.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayCause;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.Suspect;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.Encoded;
import dev.repro.streams.DeadLetters;
import dev.repro.streams.LateEventGate;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

class VerifierTopologyTest {

    private static final Duration WAIT = Duration.ofMinutes(30);
    private static final Duration RETENTION = Duration.ofDays(2);

    @TempDir
    Path stateDir;

    private final AvroSerdes serdes = AvroSerdes.create();
    private final TopicCatalog catalog = TopicCatalog.defaults();
    private TopologyTestDriver driver;
    private TestInputTopic<String, BuildEvent> builds;
    private TestInputTopic<String, RunEvent> runs;
    private TestInputTopic<String, byte[]> rawBuilds;
    private TestInputTopic<String, byte[]> rawRuns;
    private TestOutputTopic<String, RebuildVerdict> rebuildVerdicts;
    private TestOutputTopic<String, ReplayVerdict> replayVerdicts;
    private TestOutputTopic<String, RejectedEvent> deadLetters;

    @BeforeEach
    void startDriver() {
        ReproConfig config = ReproConfig.of(Map.of(StreamsAppRunner.STATE_DIR, stateDir.toString()));
        Properties props = StreamsAppRunner.properties(config, "verifier-test");
        // The driver drops records a deserialization handler dead-letters when it simulates
        // exactly_once_v2 (the broker does not: see DeadLetterHandlerOnBrokerTest); the driver
        // runs one task synchronously, so the guarantee changes nothing else here.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        VerifierConfig settings = new VerifierConfig("verifier-test", WAIT, RETENTION);
        driver = new TopologyTestDriver(new VerifierTopology(catalog, serdes, settings).build(), props);
        StringSerializer keys = new StringSerializer();
        builds = driver.createInputTopic(catalog.name(TopicId.BUILDS), keys, serdes.serde(BuildEvent.class).serializer());
        runs = driver.createInputTopic(catalog.name(TopicId.RUNS), keys, serdes.serde(RunEvent.class).serializer());
        rawBuilds = driver.createInputTopic(catalog.name(TopicId.BUILDS), keys, new ByteArraySerializer());
        rawRuns = driver.createInputTopic(catalog.name(TopicId.RUNS), keys, new ByteArraySerializer());
        rebuildVerdicts = driver.createOutputTopic(catalog.name(TopicId.REBUILD_VERDICTS), new StringDeserializer(),
                serdes.serde(RebuildVerdict.class).deserializer());
        replayVerdicts = driver.createOutputTopic(catalog.name(TopicId.REPLAY_VERDICTS), new StringDeserializer(),
                serdes.serde(ReplayVerdict.class).deserializer());
        deadLetters = driver.createOutputTopic(catalog.name(TopicId.DEAD_LETTER), new StringDeserializer(),
                serdes.serde(RejectedEvent.class).deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(Fixtures.BuildBuilder build) {
        builds.pipeInput(build.recipeKey(), build.build());
    }

    private void send(Fixtures.RunBuilder run) {
        runs.pipeInput(run.key(), run.build());
    }

    // ---- rebuild verdicts ----

    @Test
    void shouldGoFromPendingToReproducibleAsTheRebuildArrives() {
        Fixtures.BuildBuilder original = aBuild().withId("b1");
        send(original);
        send(aBuild().withId("b2").atMinute(10).rebuildOf("b1").withBuilder("rebuilder"));

        List<TestRecord<String, RebuildVerdict>> out = rebuildVerdicts.readRecordsToList();
        assertThat(out).extracting(r -> r.value().getStatus()).containsExactly(RebuildStatus.PENDING, RebuildStatus.REPRODUCIBLE);
        assertThat(out).extracting(TestRecord::key).containsOnly(original.recipeKey());
        assertThat(out.get(1).timestamp()).isEqualTo(Fixtures.T0.plusSeconds(600).toEpochMilli());
        assertThat(out.get(1).value().getDigests().get(0).getBuilds()).isEqualTo(2);
    }

    @Test
    void shouldFlagUnreproducibleWhenRebuildDigestDiffers() {
        send(aBuild().withId("b1"));
        send(aBuild().withId("b2").atMinute(10).withDigest(DIGEST_B).withoutEnv("SOURCE_DATE_EPOCH").withEnv("TZ", "Europe/Berlin"));

        RebuildVerdict verdict = last(rebuildVerdicts);
        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.UNREPRODUCIBLE);
        assertThat(verdict.getSuspects()).extracting(Suspect::getPath)
                .containsExactly("environment.SOURCE_DATE_EPOCH", "environment.TZ");
    }

    @Test
    void shouldSayBuildFailedWhenTheRebuildFailedToBuild() {
        send(aBuild().withId("b1"));
        send(aBuild().withId("b2").atMinute(10).withOutcome(BuildOutcome.ERROR).rebuildOf("b1"));

        RebuildVerdict verdict = last(rebuildVerdicts);
        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.BUILD_FAILED);
        assertThat(verdict.getFailedBuilds()).isEqualTo(1);
    }

    @Test
    void shouldJudgeOutOfOrderBuildsByEventTime() {
        send(aBuild().withId("late-arriving").atMinute(20).withDigest(DIGEST_B).withBuilder("rebuilder"));
        send(aBuild().withId("first-built").atMinute(5));

        RebuildVerdict verdict = last(rebuildVerdicts);
        assertThat(verdict.getBuildIds()).containsExactly("first-built", "late-arriving");
        assertThat(verdict.getDigests().get(0).getDigest()).isEqualTo(Fixtures.DIGEST_A);
        assertThat(verdict.getAsOf()).isEqualTo(Fixtures.T0.plusSeconds(1200));
    }

    @Test
    void shouldIgnoreADuplicateBuildEvent() {
        send(aBuild().withId("b1"));
        send(aBuild().withId("b2").atMinute(1));
        send(aBuild().withId("b1"));

        assertThat(rebuildVerdicts.readValuesToList()).hasSize(2).last()
                .satisfies(v -> assertThat(v.getBuilds()).isEqualTo(2));
    }

    @Test
    void shouldFlagARegressionWhenTheArtifactsPreviousRecipeWasReproducible() {
        send(aBuild().withId("c1-a"));
        send(aBuild().withId("c1-b").atMinute(1));
        String nextCommit = "f".repeat(40);
        send(aBuild().withId("c2-a").atMinute(60).withCommit(nextCommit));
        send(aBuild().withId("c2-b").atMinute(61).withCommit(nextCommit).withDigest(DIGEST_B));

        List<RebuildVerdict> out = rebuildVerdicts.readValuesToList();
        assertThat(out).extracting(RebuildVerdict::getStatus).containsExactly(RebuildStatus.PENDING,
                RebuildStatus.REPRODUCIBLE, RebuildStatus.PENDING, RebuildStatus.UNREPRODUCIBLE);
        assertThat(out).extracting(RebuildVerdict::getRegression).containsExactly(false, false, false, true);
        assertThat(out.get(3).getCommit()).isEqualTo(nextCommit);
    }

    @Test
    void shouldDeadLetterAPoisonBuildAndKeepProcessing() {
        byte[] poison = "not avro at all".getBytes(StandardCharsets.UTF_8);
        rawBuilds.pipeInput("app@x#-", poison);
        send(aBuild().withId("b1"));

        TestRecord<String, RejectedEvent> dead = deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo("app@x#-");
        assertThat(dead.value().getRule()).isEqualTo(DeadLetters.UNDECODABLE);
        assertThat(dead.value().getRaw().array()).isEqualTo(poison);
        assertThat(dead.value().getTopic()).isEqualTo(catalog.name(TopicId.BUILDS));
        assertThat(dead.value().getOffset()).isZero();
        assertThat(dead.value().getReason()).isNotBlank();
        assertThat(rebuildVerdicts.readValuesToList()).singleElement()
                .satisfies(v -> assertThat(v.getStatus()).isEqualTo(RebuildStatus.PENDING));
    }

    @Test
    void shouldDeadLetterABuildOlderThanTheRetentionInsteadOfJudgingIt() {
        send(aBuild().withId("recent").at(Fixtures.T0.plus(Duration.ofDays(10))).withCommit("e".repeat(40)));
        Fixtures.BuildBuilder ancient = aBuild().withId("ancient");
        send(ancient);

        assertThat(rebuildVerdicts.readValuesToList()).hasSize(1);
        RejectedEvent dead = deadLetters.readValue();
        assertThat(dead.getRule()).isEqualTo(LateEventGate.LATE_EVENT);
        assertThat(dead.getId()).isEqualTo("ancient");
        assertThat(dead.getRaw().array()).as("the bytes as read").isEqualTo(serdes.serialize(ancient.build()));
    }

    // ---- replay verdicts ----

    @Test
    void shouldMatchAReplayWithTheSameOutputs() {
        send(aRun().withId("o1"));
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));

        TestRecord<String, ReplayVerdict> verdict = replayVerdicts.readRecord();
        assertThat(verdict.key()).isEqualTo("run-1");
        assertThat(verdict.value().getStatus()).isEqualTo(ReplayStatus.MATCH);
        assertThat(verdict.timestamp()).isEqualTo(Fixtures.T0.plusSeconds(300).toEpochMilli());
        assertThat(replayVerdicts.isEmpty()).isTrue();
    }

    @Test
    void shouldMatchWithinToleranceWhenOnlyMetricsWithinToleranceMoved() {
        send(aRun().withId("o1").withMetric("loss", 0.20).withTolerance("loss", 0.05));
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5).withOutput("model", digest(77)).withMetric("loss", 0.22));

        ReplayVerdict verdict = replayVerdicts.readValue();
        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.MATCH_WITHIN_TOLERANCE);
        assertThat(verdict.getMetricDeltas()).containsOnlyKeys("loss");
    }

    @Test
    void shouldMismatchWithEveryCauseFound() {
        send(aRun().withId("o1"));
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5).withOutput("model", digest(77))
                .withInput("dataset", digest(33)).withSeed("7").withEnvironment(digest(22)).withCode(digest(11))
                .withParameters(digest(44)));
        send(aRun().withId("r2").withRunId("run-3").replayOf("run-1").atMinute(6).withOutput("model", digest(78))
                .withInput("dataset", null).withSeed(null));
        send(aRun().withId("r3").withRunId("run-4").replayOf("run-1").atMinute(7).withOutput("model", digest(79)));

        List<ReplayVerdict> out = replayVerdicts.readValuesToList();
        assertThat(out).extracting(ReplayVerdict::getStatus).containsOnly(ReplayStatus.MISMATCH);
        assertThat(out.get(0).getCauses()).containsExactly(ReplayCause.INPUT_DIFFERS, ReplayCause.SEED_DIFFERS,
                ReplayCause.ENVIRONMENT_DIFFERS, ReplayCause.CODE_DIFFERS, ReplayCause.PARAMETERS_DIFFER);
        assertThat(out.get(1).getCauses()).containsExactly(ReplayCause.INPUT_HASH_MISSING, ReplayCause.SEED_MISSING);
        assertThat(out.get(2).getCauses()).containsExactly(ReplayCause.NONDETERMINISTIC);
    }

    @Test
    void shouldReportAFailedReplayAtOnceEvenBeforeItsOriginal() {
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5).failed());

        ReplayVerdict verdict = replayVerdicts.readValue();
        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.REPLAY_FAILED);
        assertThat(verdict.getOriginalEventId()).isNull();
        send(aRun().withId("o1"));
        assertThat(replayVerdicts.isEmpty()).isTrue();
    }

    @Test
    void shouldLetAReplayThatArrivesBeforeItsOriginalWaitForIt() {
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));
        assertThat(replayVerdicts.isEmpty()).isTrue();

        send(aRun().withId("o1").atMinute(0));

        ReplayVerdict verdict = replayVerdicts.readValue();
        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.MATCH);
        assertThat(verdict.getAsOf()).isEqualTo(Fixtures.T0.plusSeconds(300));
    }

    @Test
    void shouldDeclareTheOriginalMissingOnceStreamTimePassesTheWait() {
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));
        send(aRun().withId("other").withRunId("run-9").atMinute(35));
        assertThat(replayVerdicts.isEmpty()).as("the wait ends at minute 35, inclusive").isTrue();

        send(aRun().withId("other-2").withRunId("run-10").atMinute(36));

        TestRecord<String, ReplayVerdict> missing = replayVerdicts.readRecord();
        assertThat(missing.key()).isEqualTo("run-1");
        assertThat(missing.value().getStatus()).isEqualTo(ReplayStatus.ORIGINAL_MISSING);
        assertThat(missing.value().getAsOf()).isEqualTo(Fixtures.T0.plus(WAIT).plusSeconds(300));
        assertThat(missing.timestamp()).isEqualTo(Fixtures.T0.plus(WAIT).plusSeconds(300).toEpochMilli());
        assertThat(missing.value().getTimeToVerifyMs()).isEqualTo(WAIT.toMillis());
    }

    @Test
    void shouldStillJudgeAReplayWhoseOriginalTurnsUpAfterTheWait() {
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));
        send(aRun().withId("other").withRunId("run-9").atMinute(60));
        send(aRun().withId("o1").atMinute(2));

        assertThat(replayVerdicts.readValuesToList()).extracting(ReplayVerdict::getStatus)
                .containsExactly(ReplayStatus.ORIGINAL_MISSING, ReplayStatus.MATCH);
    }

    @Test
    void shouldJudgeEachReplayOfARun() {
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));
        send(aRun().withId("r2").withRunId("run-3").replayOf("run-1").atMinute(6).withOutput("model", digest(70)));
        send(aRun().withId("o1"));
        send(aRun().withId("r3").withRunId("run-4").replayOf("run-1").atMinute(7).failed());

        List<ReplayVerdict> out = replayVerdicts.readValuesToList();
        assertThat(out).extracting(ReplayVerdict::getReplayRunId).containsExactly("run-2", "run-3", "run-4");
        assertThat(out).extracting(ReplayVerdict::getStatus)
                .containsExactly(ReplayStatus.MATCH, ReplayStatus.MISMATCH, ReplayStatus.REPLAY_FAILED);
    }

    @Test
    void shouldIgnoreDuplicateRunEvents() {
        send(aRun().withId("o1"));
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));
        send(aRun().withId("o1"));

        assertThat(replayVerdicts.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldDeadLetterAPoisonRunAndKeepProcessing() {
        byte[] truncated = java.util.Arrays.copyOf(serdes.serialize(aRun().build()), 14);
        rawRuns.pipeInput("run-1", truncated);
        send(aRun().withId("o1"));
        send(aRun().withId("r1").withRunId("run-2").replayOf("run-1").atMinute(5));

        RejectedEvent dead = deadLetters.readValue();
        assertThat(dead.getRule()).isEqualTo(DeadLetters.UNDECODABLE);
        assertThat(dead.getTopic()).isEqualTo(catalog.name(TopicId.RUNS));
        assertThat(dead.getId()).isEqualTo(DeadLetters.sha256(truncated));
        assertThat(replayVerdicts.readValue().getStatus()).isEqualTo(ReplayStatus.MATCH);
    }

    @Test
    void shouldKeyABuildWithoutKeyByItsRecipeAndDeadLetterARunWithoutKey() {
        builds.pipeInput((String) null, aBuild().withId("b1").build());
        runs.pipeInput((String) null, aRun().withId("o1").build());

        assertThat(rebuildVerdicts.readRecord().key()).isEqualTo(aBuild().recipeKey());
        RejectedEvent dead = deadLetters.readValue();
        assertThat(dead.getRule()).isEqualTo(LateEventGate.MISSING_KEY);
        assertThat(dead.getId()).isEqualTo("o1");
    }

    @Test
    void shouldDeadLetterALateRun() {
        send(aRun().withId("recent").withRunId("run-5").at(Fixtures.T0.plus(Duration.ofDays(3))));
        send(aRun().withId("r-old").withRunId("run-2").replayOf("run-1"));

        assertThat(deadLetters.readValue().getRule()).isEqualTo(LateEventGate.LATE_EVENT);
        assertThat(replayVerdicts.isEmpty()).isTrue();
    }

    @Test
    void shouldForgetRunsOlderThanTheRetention() {
        send(aRun().withId("o1"));
        send(aRun().withId("later").withRunId("run-7").at(Fixtures.T0.plus(RETENTION).plusSeconds(3600)));

        assertThat(driver.<String, RunHistory>getKeyValueStore(ReplayVerifier.RUNS_STORE).get("run-1")).isNull();
        assertThat(driver.<String, RunHistory>getKeyValueStore(ReplayVerifier.RUNS_STORE).get("run-7")).isNotNull();
    }

    @Test
    void shouldKeepARecipeBuiltAgainWithinTheRetentionAndForgetItOnceItsLatestBuildIsOlder() {
        Fixtures.BuildBuilder first = aBuild().withId("b1");
        send(first);
        send(aBuild().withId("b2").at(Fixtures.T0.plus(RETENTION).minusSeconds(3600)));
        var recipes = new RecipeStore(driver.<String, Encoded<BuildEvent>>getKeyValueStore(RebuildVerifier.BUILDS_STORE));

        send(aBuild().withId("other").withRecipe("sha256:" + "7".repeat(64)).at(Fixtures.T0.plus(RETENTION).plusSeconds(3600)));
        assertThat(recipes.load(first.recipeKey()).builds()).as("its latest build is within the retention")
                .extracting(BuildEvent::getId).containsExactly("b1", "b2");

        send(aBuild().withId("later").withRecipe("sha256:" + "8".repeat(64))
                .at(Fixtures.T0.plus(RETENTION).plus(RETENTION).plusSeconds(3600)));
        assertThat(recipes.load(first.recipeKey()).isEmpty()).isTrue();
        List<String> kept = new ArrayList<>();
        driver.getKeyValueStore(RebuildVerifier.BUILDS_STORE).all().forEachRemaining(entry -> kept.add((String) entry.key));
        assertThat(kept).as("the two later recipes' builds").hasSize(2).noneMatch(key -> key.contains(first.recipeKey()));
        assertThat(driver.<String, String>getKeyValueStore(RebuildVerifier.ARTIFACTS_STORE).get(
                ArtifactRecipes.key(first.recipeKey(), Fixtures.T0.toEpochMilli()))).isNull();
    }

    private static <V> V last(TestOutputTopic<String, V> topic) {
        List<V> values = topic.readValuesToList();
        assertThat(values).isNotEmpty();
        return values.get(values.size() - 1);
    }
}
