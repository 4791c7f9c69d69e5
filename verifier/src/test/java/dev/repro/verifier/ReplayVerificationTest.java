package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.aRun;
import static dev.repro.verifier.Fixtures.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.repro.schema.Criticality;
import dev.repro.schema.ReplayCause;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;

class ReplayVerificationTest {

    private final RunEvent original = aRun().withId("e1").withMetric("accuracy", 0.91).withTolerance("accuracy", 0.01).build();

    private static Fixtures.RunBuilder aReplay() {
        return aRun().withId("e2").withRunId("run-2").replayOf("run-1").atMinute(30);
    }

    @Test
    void shouldMatchWhenEveryOutputDigestIsEqual() {
        ReplayVerdict verdict = ReplayVerification.judge("run-1", original, aReplay().withMetric("accuracy", 0.5).build());

        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.MATCH);
        assertThat(verdict.getCauses()).isEmpty();
        assertThat(verdict.getOriginalRunId()).isEqualTo("run-1");
        assertThat(verdict.getReplayRunId()).isEqualTo("run-2");
        assertThat(verdict.getOriginalEventId()).isEqualTo("e1");
        assertThat(verdict.getReplayEventId()).isEqualTo("e2");
        assertThat(verdict.getAsOf()).isEqualTo(Fixtures.T0.plusSeconds(1800));
    }

    @Test
    void shouldMatchWithinToleranceWhenDigestsDifferButMetricsAreClose() {
        ReplayVerdict verdict = ReplayVerification.judge("run-1", original,
                aReplay().withOutput("model", digest(99)).withMetric("accuracy", 0.915).build());

        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.MATCH_WITHIN_TOLERANCE);
        assertThat(verdict.getMetricDeltas().get("accuracy")).isCloseTo(0.005, within(1e-12));
    }

    @Test
    void shouldMismatchAsNondeterministicWhenEveryDeclaredInputIsEqual() {
        ReplayVerdict verdict = ReplayVerification.judge("run-1", original,
                aReplay().withOutput("model", digest(99)).withMetric("accuracy", 0.80).build());

        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.MISMATCH);
        assertThat(verdict.getCauses()).containsExactly(ReplayCause.NONDETERMINISTIC);
    }

    @Test
    void shouldNameEveryInputThatDiffers() {
        RunEvent replay = aReplay().withOutput("model", digest(99))
                .withInput("dataset", digest(30)).withInput("labels", null)
                .withSeed("7").withEnvironment(digest(20)).withCode(digest(10)).withParameters(digest(40)).build();

        assertThat(ReplayVerification.causes(original, replay)).containsExactly(
                ReplayCause.INPUT_DIFFERS, ReplayCause.INPUT_HASH_MISSING, ReplayCause.SEED_DIFFERS,
                ReplayCause.ENVIRONMENT_DIFFERS, ReplayCause.CODE_DIFFERS, ReplayCause.PARAMETERS_DIFFER);
    }

    @Test
    void shouldSaySeedMissingWhenEitherRunHasNoSeed() {
        RunEvent replay = aReplay().withOutput("model", digest(99)).withSeed(null).build();

        assertThat(ReplayVerification.causes(original, replay)).containsExactly(ReplayCause.SEED_MISSING);
    }

    @Test
    void shouldSayInputHashMissingWhenAnInputHasNoDigest() {
        RunEvent unhashed = aRun().withId("e1").withInput("dataset", null).build();
        RunEvent replay = aReplay().withInput("dataset", null).withOutput("model", digest(99)).build();

        assertThat(ReplayVerification.causes(unhashed, replay)).containsExactly(ReplayCause.INPUT_HASH_MISSING);
    }

    @Test
    void shouldFailTheReplayWhenItFailedWhateverItsOutputs() {
        ReplayVerdict verdict = ReplayVerification.judge("run-1", original, aReplay().failed().nonProduction().build());

        assertThat(verdict.getStatus()).isEqualTo(ReplayStatus.REPLAY_FAILED);
        assertThat(verdict.getCriticality()).isEqualTo(Criticality.PRODUCTION);
        assertThat(ReplayVerification.failedWithoutOriginal("run-1", aReplay().failed().build()).getOriginalEventId()).isNull();
    }

    @Test
    void shouldMeasureTimeToVerifyFromTheReplayFinishToTheVerdictEventTime() {
        RunEvent replay = aReplay().finishedAt(Fixtures.T0.plusSeconds(1500)).build();

        assertThat(ReplayVerification.judge("run-1", original, replay).getTimeToVerifyMs()).isEqualTo(300_000L);
        ReplayVerdict missing = ReplayVerification.originalMissing("run-1", replay, Fixtures.T0.plusSeconds(3600));
        assertThat(missing.getStatus()).isEqualTo(ReplayStatus.ORIGINAL_MISSING);
        assertThat(missing.getTimeToVerifyMs()).isEqualTo(2_100_000L);
        assertThat(missing.getAsOf()).isEqualTo(Fixtures.T0.plusSeconds(3600));
    }
}
