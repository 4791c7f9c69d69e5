package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.DIGEST_A;
import static dev.repro.verifier.Fixtures.DIGEST_B;
import static dev.repro.verifier.Fixtures.aBuild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.Suspect;
import dev.repro.topics.RecipeKey;

class RebuildVerificationTest {

    private static final String KEY = aBuild().recipeKey();

    private static RebuildVerdict judge(BuildEvent... builds) {
        return RebuildVerification.judge(KEY, new RecipeBuilds(Arrays.asList(builds)), false);
    }

    @Test
    void shouldBePendingWithOneSuccessfulBuild() {
        RebuildVerdict verdict = judge(aBuild().build());

        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.PENDING);
        assertThat(verdict.getBuilds()).isEqualTo(1);
        assertThat(verdict.getDigests()).singleElement().satisfies(d -> {
            assertThat(d.getDigest()).isEqualTo(DIGEST_A);
            assertThat(d.getBuilds()).isEqualTo(1);
        });
        assertThat(verdict.getSuspects()).isEmpty();
    }

    @Test
    void shouldBeReproducibleWhenTwoBuildsGiveOneDigest() {
        RebuildVerdict verdict = judge(aBuild().withId("b1").build(),
                aBuild().withId("b2").atMinute(5).withBuilder("independent-rebuilder").rebuildOf("b1").build());

        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.REPRODUCIBLE);
        assertThat(verdict.getDigests()).singleElement().satisfies(d -> {
            assertThat(d.getBuilds()).isEqualTo(2);
            assertThat(d.getFirstBuilder()).isEqualTo("https://ci.example/runner");
        });
        assertThat(verdict.getBuildIds()).containsExactly("b1", "b2");
        assertThat(verdict.getAsOf()).isEqualTo(Fixtures.T0.plusSeconds(300));
        assertThat(verdict.getRecipeKey()).isEqualTo(KEY);
        assertThat(verdict.getArtifactName()).isEqualTo("ghcr.io/example/app");
        assertThat(verdict.getRecipeDigest()).isEqualTo(Fixtures.RECIPE);
    }

    @Test
    void shouldFlagUnreproducibleWhenRebuildDigestDiffers() {
        RebuildVerdict verdict = judge(aBuild().withId("b1").build(),
                aBuild().withId("b2").atMinute(1).withDigest(DIGEST_B).withoutEnv("SOURCE_DATE_EPOCH").build());

        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.UNREPRODUCIBLE);
        assertThat(verdict.getDigests()).extracting(d -> d.getDigest()).containsExactly(DIGEST_A, DIGEST_B);
        assertThat(verdict.getSuspects()).extracting(Suspect::getPath).containsExactly("environment.SOURCE_DATE_EPOCH");
    }

    @Test
    void shouldSayBuildFailedWhenARebuildFailsToBuild() {
        RebuildVerdict verdict = judge(aBuild().withId("b1").build(),
                aBuild().withId("b2").atMinute(1).withOutcome(BuildOutcome.ERROR).rebuildOf("b1").build());

        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.BUILD_FAILED);
        assertThat(verdict.getBuilds()).isEqualTo(2);
        assertThat(verdict.getFailedBuilds()).isEqualTo(1);
        assertThat(verdict.getDigests()).hasSize(1);
    }

    @Test
    void shouldJudgeOnSuccessfulBuildsOnceTwoSucceededEvenIfAnotherFailed() {
        RebuildVerdict verdict = judge(aBuild().withId("b1").build(),
                aBuild().withId("b2").atMinute(1).withOutcome(BuildOutcome.FAILURE).build(),
                aBuild().withId("b3").atMinute(2).build());

        assertThat(verdict.getStatus()).isEqualTo(RebuildStatus.REPRODUCIBLE);
        assertThat(verdict.getFailedBuilds()).isEqualTo(1);
        assertThat(verdict.getBuilds()).isEqualTo(3);
    }

    @Test
    void shouldGiveTheSameVerdictWhateverTheArrivalOrder() {
        BuildEvent b1 = aBuild().withId("b1").withLabels(java.util.Map.of("team", "old")).build();
        BuildEvent b2 = aBuild().withId("b2").atMinute(3).withDigest(DIGEST_B).withEnv("TZ", "Europe/Paris")
                .withLabels(java.util.Map.of("team", "new")).build();
        BuildEvent b3 = aBuild().withId("b3").atMinute(1).build();

        RecipeBuilds inOrder = RecipeBuilds.empty();
        List.of(b1, b3, b2).forEach(inOrder::add);
        RecipeBuilds shuffled = RecipeBuilds.empty();
        List.of(b2, b1, b3).forEach(shuffled::add);

        RebuildVerdict a = RebuildVerification.judge(KEY, inOrder, false);
        RebuildVerdict b = RebuildVerification.judge(KEY, shuffled, false);
        assertThat(b).isEqualTo(a);
        assertThat(a.getBuildIds()).containsExactly("b1", "b3", "b2");
        assertThat(a.getLabels()).containsEntry("team", "new");
        assertThat(a.getDigests().get(0).getBuilds()).isEqualTo(2);
    }

    @Test
    void shouldNotAddADuplicateBuildFromTheSameSource() {
        RecipeBuilds recipe = RecipeBuilds.empty();

        assertThat(recipe.add(aBuild().withId("b1").build())).isTrue();
        assertThat(recipe.add(aBuild().withId("b1").atMinute(9).build())).isFalse();
        assertThat(recipe.add(aBuild().withId("b1").withSource("https://other.example").build())).isTrue();
        assertThat(recipe.builds()).hasSize(2);
    }

    @Test
    void shouldRefuseToJudgeARecipeWithoutBuilds() {
        assertThatThrownBy(() -> RebuildVerification.judge(KEY, RecipeBuilds.empty(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(KEY);
    }
}
