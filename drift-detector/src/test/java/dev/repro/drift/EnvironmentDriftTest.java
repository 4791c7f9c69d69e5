package dev.repro.drift;

import static dev.repro.drift.Fixtures.DIGEST_A;
import static dev.repro.drift.Fixtures.DIGEST_B;
import static dev.repro.drift.Fixtures.DIGEST_X;
import static dev.repro.drift.Fixtures.aDeployment;
import static dev.repro.drift.Fixtures.aDesiredState;
import static dev.repro.drift.Fixtures.minute;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;

class EnvironmentDriftTest {

    private static final Duration GRACE = Duration.ofMinutes(10);

    private final EnvironmentDrift shop = EnvironmentDrift.empty("shop", "prod");

    private static long at(long minutes) {
        return minute(minutes).toEpochMilli();
    }

    private EnvironmentDrift.Review reviewAt(long minutes) {
        return shop.review(at(minutes), at(minutes), GRACE);
    }

    @Test
    void shouldKeepTheLatestDeploymentOfAClusterByEventTime() {
        DeploymentEvent first = aDeployment().withArtifact(DIGEST_A).atMinute(5).build();

        assertThat(shop.observe("eu-1", first)).isTrue();
        assertThat(shop.observe("eu-1", first)).as("a duplicate").isFalse();
        assertThat(shop.observe("eu-1", aDeployment().withArtifact(DIGEST_X).atMinute(4).build())).as("an older one").isFalse();
        assertThat(shop.clusters().get("eu-1").observed()).isEqualTo(first);
        assertThat(shop.lastDeployment()).isEqualTo(at(5));
    }

    @Test
    void shouldKeepTheLatestDesiredStateOfAKeyByEventTime() {
        assertThat(shop.declare(null, aDesiredState().withArtifact(DIGEST_B).atMinute(10).build())).isTrue();
        assertThat(shop.declare(null, aDesiredState().withArtifact(DIGEST_A).atMinute(5).build())).isFalse();
        assertThat(shop.declare("eu-1", aDesiredState().forCluster("eu-1").atMinute(5).build())).isTrue();

        assertThat(shop.environmentWide().getArtifactDigest()).isEqualTo(DIGEST_B);
        assertThat(shop.perCluster()).containsOnlyKeys("eu-1");
    }

    @Test
    void shouldHoldAMismatchUntilTheGraceEndsThenReportItFromThere() {
        shop.declare(null, aDesiredState().withArtifact(DIGEST_B).atMinute(0).build());
        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).atMinute(1).build());

        EnvironmentDrift.Review during = reviewAt(1);
        assertThat(during.changes()).isEmpty();
        assertThat(during.heldUntil()).as("the grace after the later change, the deploy").isEqualTo(at(11));

        EnvironmentDrift.Review after = shop.review(at(11) + 1, at(11), GRACE);
        assertThat(after.heldUntil()).isEqualTo(EnvironmentDrift.NEVER);
        assertThat(after.changes()).singleElement().satisfies(status -> {
            assertThat(status.getStatus()).isEqualTo(DriftState.DRIFTED);
            assertThat(status.getSince()).isEqualTo(minute(11));
        });
    }

    @Test
    void shouldGiveTheEarliestEndOfGraceOfTheClustersHeldBack() {
        shop.declare(null, aDesiredState().withArtifact(DIGEST_B).atMinute(0).build());
        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).atMinute(4).build());
        shop.observe("eu-2", aDeployment().withArtifact(DIGEST_A).atMinute(2).build());

        EnvironmentDrift.Review review = reviewAt(5);

        assertThat(review.changes()).isEmpty();
        assertThat(review.heldUntil()).as("eu-2's grace ends first, at minute 12; eu-1's at 14").isEqualTo(at(12));
    }

    @Test
    void shouldRestartTheGraceWhenWhatRunsChangesButNotForAnotherReportOfTheSame() {
        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).atMinute(1).build());
        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).observed().atMinute(6).build());
        assertThat(shop.clusters().get("eu-1").changedAt()).isEqualTo(at(1));

        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).withConfig(Fixtures.CONFIG_1).atMinute(9).build());
        assertThat(shop.clusters().get("eu-1").changedAt()).isEqualTo(at(9));
    }

    @Test
    void shouldStartNoNewGraceWhenTheSameDigestsAreDeclaredAgain() {
        shop.declare(null, aDesiredState().withArtifact(DIGEST_B).atMinute(0).build());
        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).atMinute(1).build());
        reviewAt(20);
        shop.declare(null, aDesiredState().withArtifact(DIGEST_B).withCommit("e".repeat(40)).atMinute(30).build());

        EnvironmentDrift.Review review = reviewAt(31);

        assertThat(review.heldUntil()).isEqualTo(EnvironmentDrift.NEVER);
        assertThat(shop.clusters().get("eu-1").comparedSince()).isEqualTo(at(0));
    }

    @Test
    void shouldNeverMoveAsOfBackwardsForALateEvent() {
        shop.observe("eu-1", aDeployment().withArtifact(DIGEST_A).atMinute(30).build());
        reviewAt(30);
        shop.declare(null, aDesiredState().withArtifact(DIGEST_A).atMinute(5).build());

        DriftStatus status = shop.review(at(30), at(5), GRACE).changes().get(0);

        assertThat(status.getDesiredArtifactDigest()).isEqualTo(DIGEST_A);
        assertThat(status.getAsOf()).isEqualTo(minute(30));
    }

    @Test
    void shouldHaveNothingToKeepOnceItsOnlyDesiredStateIsRemoved() {
        shop.declare(null, aDesiredState().atMinute(0).build());
        assertThat(shop.isEmpty()).isFalse();

        assertThat(shop.removeDesired(null)).isTrue();
        assertThat(shop.removeDesired("eu-1")).isFalse();
        assertThat(shop.isEmpty()).isTrue();
        assertThat(shop.lastDeployment()).isEqualTo(EnvironmentDrift.NEVER);
    }

    @Test
    void shouldAskForOneEndOfGraceToBeFiledAtATimeTheEarliest() {
        assertThat(shop.filedGraceEnd()).isEqualTo(EnvironmentDrift.NEVER);
        assertThat(shop.fileGraceEnd(at(70))).as("none filed yet").isTrue();
        assertThat(shop.fileGraceEnd(at(70))).as("the same again").isFalse();
        assertThat(shop.fileGraceEnd(at(75))).as("a later one: the review at 70 files it").isFalse();
        assertThat(shop.fileGraceEnd(at(65))).as("an earlier one").isTrue();
        assertThat(shop.filedGraceEnd()).isEqualTo(at(65));

        shop.graceEndTaken(at(70));
        assertThat(shop.filedGraceEnd()).as("a superseded end coming due changes nothing").isEqualTo(at(65));
        shop.graceEndTaken(at(65));
        assertThat(shop.filedGraceEnd()).isEqualTo(EnvironmentDrift.NEVER);
        assertThat(shop.fileGraceEnd(at(75))).as("nothing filed any more").isTrue();
    }
}
