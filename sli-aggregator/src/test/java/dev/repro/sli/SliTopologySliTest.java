package dev.repro.sli;

import static dev.repro.sli.Fixtures.T0;
import static dev.repro.sli.Fixtures.aBuild;
import static dev.repro.sli.Fixtures.aDrift;
import static dev.repro.sli.Fixtures.aRebuildVerdict;
import static dev.repro.sli.Fixtures.aReplayVerdict;
import static dev.repro.sli.Fixtures.aRun;
import static dev.repro.sli.Fixtures.aTest;
import static dev.repro.sli.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildPlatform;
import dev.repro.schema.DriftState;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.RunInput;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestOutcome;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.LateEventGate;
import dev.repro.topics.TopicCatalog;

/** Every SLI of contract section 7 through the topology, against hand-computed values. */
class SliTopologySliTest {

    private static final String GOLDEN = "sli-aggregator-topology.txt";

    private final SliDriver driver = new SliDriver();

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldNotChangeTheTopologyUnintentionally() throws IOException {
        SliConfig config = driver.config;
        String described = new SliTopology(TopicCatalog.defaults(), AvroSerdes.create(), config).build().describe().toString();
        assertThat(described).doesNotContainPattern("KSTREAM-|KTABLE-|STATE-STORE-");
        if (Boolean.getBoolean("repro.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), described, StandardCharsets.UTF_8);
        }
        try (InputStream golden = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            assertThat(golden).as("src/test/resources/" + GOLDEN + " (create it with -Drepro.golden.update=true)").isNotNull();
            assertThat(described).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldRateBuildProvenanceCompletenessCountingADuplicateOnce() {
        // Given 4 distinct builds, 3 complete, and a duplicate (same source + id) of a complete one
        driver.pipe(aBuild("b1", at(1)).build(),
                aBuild("b2", at(2)).build(),
                aBuild("b3", at(3)).setBuilder(BuildPlatform.newBuilder().setId("runner-1").build()).build(),
                aBuild("b4", at(4)).build(),
                aBuild("b1", at(1)).build());

        // Then 3 good of 4 in every window and scope; target 1.0 leaves no budget
        SliValue v = driver.sli("build_provenance_completeness", "global", "1h");
        assertThat(v.getGood()).isEqualTo(3);
        assertThat(v.getTotal()).isEqualTo(4);
        assertThat(v.getValue()).isEqualTo(0.75);
        assertThat(v.getTarget()).isEqualTo(1.0);
        assertThat(v.getErrorBudgetRemaining()).isNull();
        assertThat(v.getBurnRate()).isNull();
        assertThat(v.getAsOf()).isEqualTo(at(4));
        assertThat(driver.sli("build_provenance_completeness", "service:payments", "28d").getValue()).isEqualTo(0.75);
        assertThat(driver.sli("build_provenance_completeness", "team:core", "5m").getTotal()).isEqualTo(4);
        assertThat(driver.sli("build_provenance_completeness", "repo:acme/payments", "7d").getGood()).isEqualTo(3);
    }

    @Test
    void shouldRateTheThreeRunCoveragesFromOneRunEach() {
        driver.pipe(aRun("r1", at(1)).build(),
                aRun("r2", at(2)).setInputs(List.of(RunInput.newBuilder().setName("raw").setDigest(null).build())).build(),
                aRun("r3", at(3)).setEnvironmentDigest(null).build(),
                aRun("r4", at(4)).setTraceId(null).build());

        assertThat(driver.sli("data_provenance_coverage", "global", "1h").getValue()).isEqualTo(0.75);
        assertThat(driver.sli("environment_snapshot_coverage", "global", "1h").getValue()).isEqualTo(0.75);
        SliValue trace = driver.sli("trace_correlation_rate", "global", "1h");
        assertThat(trace.getGood()).isEqualTo(3);
        assertThat(trace.getTotal()).isEqualTo(4);
        // target 0.99: allowed error 0.01; error 0.25 → burn 25, budget 1 - 25 = -24
        assertThat(trace.getBurnRate()).isEqualTo(25.0);
        assertThat(trace.getErrorBudgetRemaining()).isEqualTo(-24.0);
    }

    @Test
    void shouldRateReplaysOnceEachAndCountALateVerdictInTheWindowsItBelongsTo() {
        // Given verdicts at T0+40, +41, +42 (+43 ORIGINAL_MISSING, not eligible), a duplicate of the +41 one,
        // and a REPLAY_FAILED verdict at T0+10 arriving last (30 minutes late, within the 1-day grace)
        driver.pipe(aReplayVerdict("a", ReplayStatus.MATCH, at(40)).build(),
                aReplayVerdict("b", ReplayStatus.MISMATCH, at(41)).build(),
                aReplayVerdict("c", ReplayStatus.MATCH_WITHIN_TOLERANCE, at(42)).build(),
                aReplayVerdict("d", ReplayStatus.ORIGINAL_MISSING, at(43)).build(),
                aReplayVerdict("b", ReplayStatus.MISMATCH, at(41)).build(),
                aReplayVerdict("e", ReplayStatus.REPLAY_FAILED, at(10)).build());

        // Then windows end at T0+45: 5m and 30m hold a, b, c (2 good of 3); 1h and longer also e (2 of 4)
        SliValue m5 = driver.sli("replay_success_rate", "global", "5m");
        assertThat(m5.getGood()).isEqualTo(2);
        assertThat(m5.getTotal()).isEqualTo(3);
        assertThat(driver.sli("replay_success_rate", "global", "30m").getTotal()).isEqualTo(3);
        SliValue h1 = driver.sli("replay_success_rate", "global", "1h");
        assertThat(h1.getGood()).isEqualTo(2);
        assertThat(h1.getTotal()).isEqualTo(4);
        assertThat(h1.getValue()).isEqualTo(0.5);
        // target 0.90: allowed 0.1, error 0.5 → burn 5, budget -4
        assertThat(h1.getBurnRate()).isEqualTo(5.0);
        assertThat(h1.getErrorBudgetRemaining()).isEqualTo(-4.0);
        assertThat(h1.getAsOf()).isEqualTo(at(42));
        assertThat(driver.sli("replay_success_rate", "service:payments", "28d").getTotal()).isEqualTo(4);
    }

    @Test
    void shouldReplaceAReplaysContributionWhenItsVerdictIsUpdated() {
        driver.pipe(aReplayVerdict("a", ReplayStatus.MATCH, at(1)).build(),
                aReplayVerdict("b", ReplayStatus.MISMATCH, at(2)).build(),
                aReplayVerdict("b", ReplayStatus.MATCH, at(3)).build());

        SliValue d1 = driver.sli("replay_success_rate", "global", "1d");
        assertThat(d1.getGood()).isEqualTo(2);
        assertThat(d1.getTotal()).isEqualTo(2);
        assertThat(d1.getBurnRate()).isEqualTo(0.0);
        assertThat(d1.getErrorBudgetRemaining()).isEqualTo(1.0);
    }

    @Test
    void shouldSendAnEventOlderThanTheGraceToTheDeadLetterTopic() {
        driver.pipe(aRun("r1", T0.plus(Duration.ofDays(2))).build(), aRun("r0", T0).build());

        assertThat(driver.sli("trace_correlation_rate", "global", "28d").getTotal()).isEqualTo(1);
        List<RejectedEvent> dead = driver.deadLetters();
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.getRule()).isEqualTo(LateEventGate.LATE_EVENT);
            assertThat(r.getId()).isEqualTo("r0");
        });
    }

    @Test
    void shouldSendUndecodableBytesToTheDeadLetterTopicAndGoOn() {
        driver.rawBuilds.pipeInput("x", new byte[] {1, 2, 3});
        driver.pipe(aBuild("b1", at(1)).build());

        assertThat(driver.deadLetters()).singleElement().satisfies(r -> assertThat(r.getRule()).isEqualTo("undecodable-record"));
        assertThat(driver.sli("build_provenance_completeness", "global", "1h").getTotal()).isEqualTo(1);
    }

    @Test
    void shouldRateArtifactReproducibilityPerRecipeReplacingAnUpdatedVerdict() {
        driver.pipe(aRebuildVerdict("app", "c1", RebuildStatus.REPRODUCIBLE, at(1), 2).build(),
                aRebuildVerdict("lib", "c1", RebuildStatus.UNREPRODUCIBLE, at(2), 1, 1).build(),
                aRebuildVerdict("cli", "c1", RebuildStatus.PENDING, at(3), 1).build(),
                aRebuildVerdict("lib", "c1", RebuildStatus.UNREPRODUCIBLE, at(4), 2, 1).build());

        // app (good) and lib (bad, counted once at its latest verdict); cli has one build: not eligible
        SliValue v = driver.sli("artifact_reproducibility_rate", "global", "1h");
        assertThat(v.getGood()).isEqualTo(1);
        assertThat(v.getTotal()).isEqualTo(2);
        assertThat(v.getValue()).isEqualTo(0.5);
        // target 0.95: allowed 0.05, error 0.5 → burn 10, budget -9
        assertThat(v.getBurnRate()).isEqualTo(10.0);
        assertThat(v.getErrorBudgetRemaining()).isEqualTo(-9.0);
        assertThat(v.getAsOf()).isEqualTo(at(4));
    }

    @Test
    void shouldRateTestReproducibilityPerSuiteAtCommitAcrossEnvironments() {
        driver.pipe(aTest("t1", "unit", "linux", TestOutcome.PASS, at(1)).build(),
                aTest("t2", "unit", "mac", TestOutcome.PASS, at(2)).build(),
                aTest("t3", "it", "linux", TestOutcome.PASS, at(3)).build(),
                aTest("t4", "it", "mac", TestOutcome.FAIL, at(4)).build(),
                aTest("t5", "e2e", "linux", TestOutcome.PASS, at(5)).build(),
                aTest("t2", "unit", "mac", TestOutcome.PASS, at(2)).build());

        // unit: one outcome in 2 environments (good); it: two outcomes (bad); e2e: one environment (not eligible)
        SliValue v = driver.sli("test_reproducibility_rate", "global", "1h");
        assertThat(v.getGood()).isEqualTo(1);
        assertThat(v.getTotal()).isEqualTo(2);
        assertThat(v.getAsOf()).isEqualTo(at(4));
    }

    @Test
    void shouldCountDriftIncidentsOnceEachAtTheirOnset() {
        driver.pipe(aDrift("payments", "prod", DriftState.DRIFTED, "i1", at(1), at(11)).build(),
                aDrift("payments", "prod", DriftState.DRIFTED, "i1", at(1), at(21)).build(),
                aDrift("search", "staging", DriftState.UNVERIFIABLE, "i2", at(2), at(22)).build());

        SliValue d28 = driver.sli("drift_incidents", "global", "28d");
        assertThat(d28.getGood()).isEqualTo(2);
        assertThat(d28.getTotal()).isEqualTo(2);
        assertThat(d28.getValue()).isEqualTo(2.0);
        assertThat(d28.getTarget()).isEqualTo(2.0);
        // budget 2 per 28d: burn 2/2 = 1, nothing left
        assertThat(d28.getBurnRate()).isEqualTo(1.0);
        assertThat(d28.getErrorBudgetRemaining()).isEqualTo(0.0);
        // over 1h the budget is 2 · 1h/28d = 1/336 incidents: burn 2 · 336 = 672
        assertThat(driver.sli("drift_incidents", "global", "1h").getBurnRate()).isEqualTo(672.0);
        assertThat(driver.sli("drift_incidents", "service:search", "1d").getTotal()).isEqualTo(1);
    }

    @Test
    void shouldReportTheLargestModelMetricDelta() {
        driver.pipe(aReplayVerdict("a", ReplayStatus.MATCH_WITHIN_TOLERANCE, at(1)).setMetricDeltas(Map.of("accuracy", 0.25)).build(),
                aReplayVerdict("b", ReplayStatus.MISMATCH, at(2)).setMetricDeltas(Map.of("accuracy", 0.5, "loss", 0.125)).build(),
                aReplayVerdict("c", ReplayStatus.MATCH, at(3)).setMetricDeltas(Map.of("accuracy", 0.0)).build());

        SliValue v = driver.sli("model_reproducibility_delta", "global", "1h");
        assertThat(v.getValue()).isEqualTo(0.5);
        assertThat(v.getTotal()).isEqualTo(3);
        // target 0.01: only c's 0.0 is within it; a bound, no budget
        assertThat(v.getGood()).isEqualTo(1);
        assertThat(v.getTarget()).isEqualTo(0.01);
        assertThat(v.getBurnRate()).isNull();
    }

    @Test
    void shouldReportTheP95TimeToVerify() {
        // Given 20 replays verified in k · 65536 ms, k = 1..20
        for (int k = 1; k <= 20; k++) {
            driver.pipe(aReplayVerdict("r" + k, ReplayStatus.MATCH, at(k % 5)).setTimeToVerifyMs(k * 65_536L).build());
        }
        // Then p95 (nearest rank 19) = 19 · 65536 and all within the 1h target
        SliValue v = driver.sli("replay_time_to_verify", "global", "1h");
        assertThat(v.getValue()).isEqualTo(19 * 65_536.0);
        assertThat(v.getTotal()).isEqualTo(20);
        assertThat(v.getGood()).isEqualTo(20);
        assertThat(v.getTarget()).isEqualTo(3_600_000.0);
        assertThat(v.getBurnRate()).isEqualTo(0.0);
        assertThat(driver.queries().slis("replay_time_to_verify", "global", "1h").get(0).p50())
                .isCloseTo(10 * 65_536.0, within(0.0));
    }

    @Test
    void shouldSlideWindowsForwardAndDropBucketsThatLeaveThem() {
        driver.pipe(aRun("r1", at(0)).setTraceId(null).build(), aRun("r2", at(90)).build());

        // r1 left the 5m, 30m, 1h windows (ending T0+95), still in 2h
        assertThat(driver.sli("trace_correlation_rate", "global", "1h").getTotal()).isEqualTo(1);
        assertThat(driver.sli("trace_correlation_rate", "global", "1h").getGood()).isEqualTo(1);
        assertThat(driver.sli("trace_correlation_rate", "global", "2h").getTotal()).isEqualTo(2);
        assertThat(driver.sli("trace_correlation_rate", "global", "2h").getGood()).isEqualTo(1);
    }

    @Test
    void shouldServeTheVerdictsAndDriftFromState() {
        driver.pipe(aReplayVerdict("a", ReplayStatus.MATCH, at(1)).build(),
                aRebuildVerdict("app", "c1", RebuildStatus.REPRODUCIBLE, at(1), 2).build(),
                aDrift("payments", "prod", DriftState.DRIFTED, "i1", at(1), at(2)).build());

        SliQueries q = driver.queries();
        assertThat(q.replayVerdict("a")).get().satisfies(v -> assertThat(v.getStatus()).isEqualTo(ReplayStatus.MATCH));
        assertThat(q.rebuildVerdict("app@c1#" + Fixtures.SHA)).isPresent();
        assertThat(q.rebuildVerdict("nope")).isEmpty();
        assertThat(q.drift()).singleElement().satisfies(d -> assertThat(d.getTarget()).isEqualTo("payments/prod/eu-1"));
        assertThat(q.slis(null, "global", "1h")).extracting(r -> r.value().getSli())
                .containsExactlyInAnyOrder("replay_success_rate", "artifact_reproducibility_rate", "drift_incidents");
        assertThat(Set.copyOf(q.slis("drift_incidents", "global", null).stream().map(r -> r.value().getWindow()).toList()))
                .hasSize(9);
    }
}
