package dev.repro.drift;

import static dev.repro.drift.Fixtures.CONFIG_1;
import static dev.repro.drift.Fixtures.CONFIG_2;
import static dev.repro.drift.Fixtures.DIGEST_A;
import static dev.repro.drift.Fixtures.DIGEST_B;
import static dev.repro.drift.Fixtures.DIGEST_X;
import static dev.repro.drift.Fixtures.aDeployment;
import static dev.repro.drift.Fixtures.aDesiredState;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;

class DriftComparisonTest {

    private static final ClusterDigests ALONE = new ClusterDigests(Map.of("eu-1", DIGEST_A));

    @Test
    void shouldBeInSyncWhenArtifactAndConfigMatch() {
        DriftComparison comparison = DriftComparison.of("eu-1", aDeployment().withConfig(CONFIG_1).build(),
                aDesiredState().withConfig(CONFIG_1).build(), ALONE);

        assertThat(comparison).isEqualTo(DriftComparison.IN_SYNC);
    }

    @Test
    void shouldListEveryMismatchInTheSchemasOrder() {
        DriftComparison comparison = DriftComparison.of("eu-1", aDeployment().withArtifact(DIGEST_X).withConfig(CONFIG_2).build(),
                aDesiredState().withArtifact(DIGEST_A).withConfig(CONFIG_1).build(),
                new ClusterDigests(Map.of("eu-1", DIGEST_X, "eu-2", DIGEST_A)));

        assertThat(comparison.state()).isEqualTo(DriftState.DRIFTED);
        assertThat(comparison.reasons()).containsExactly(DriftReason.ARTIFACT_MISMATCH, DriftReason.CONFIG_MISMATCH,
                DriftReason.CROSS_CLUSTER_MISMATCH);
    }

    @Test
    void shouldNotCompareConfigUnlessBothSidesNameOne() {
        assertThat(DriftComparison.of("eu-1", aDeployment().build(), aDesiredState().withConfig(CONFIG_1).build(), ALONE).inSync())
                .isTrue();
        assertThat(DriftComparison.of("eu-1", aDeployment().withConfig(CONFIG_1).build(), aDesiredState().build(), ALONE).inSync())
                .isTrue();
    }

    @Test
    void shouldBeUnverifiableWhenDeployedByAMutableTag() {
        DriftComparison comparison = DriftComparison.of("eu-1", aDeployment().byTag("latest").build(), aDesiredState().build(),
                new ClusterDigests(Map.of()));

        assertThat(comparison.state()).isEqualTo(DriftState.UNVERIFIABLE);
        assertThat(comparison.reasons()).containsExactly(DriftReason.MUTABLE_REFERENCE);
    }

    @Test
    void shouldBeDriftedWhenATaggedDeployAlsoHasTheWrongConfig() {
        DriftComparison comparison = DriftComparison.of("eu-1", aDeployment().byTag("latest").withConfig(CONFIG_2).build(),
                aDesiredState().withConfig(CONFIG_1).build(), new ClusterDigests(Map.of()));

        assertThat(comparison.state()).isEqualTo(DriftState.DRIFTED);
        assertThat(comparison.reasons()).containsExactly(DriftReason.CONFIG_MISMATCH, DriftReason.MUTABLE_REFERENCE);
    }

    @Test
    void shouldNotBlameAClusterThatRunsItsDesiredStateForItsSiblings() {
        DriftComparison comparison = DriftComparison.of("eu-1", aDeployment().withArtifact(DIGEST_A).build(),
                aDesiredState().withArtifact(DIGEST_A).build(), new ClusterDigests(Map.of("eu-1", DIGEST_A, "eu-2", DIGEST_B)));

        assertThat(comparison.inSync()).isTrue();
    }

    @Test
    void shouldFlagOnlyTheMinorityWithoutADesiredState() {
        ClusterDigests digests = new ClusterDigests(Map.of("eu-1", DIGEST_B, "eu-2", DIGEST_B, "eu-3", DIGEST_A));

        assertThat(DriftComparison.of("eu-1", aDeployment().withArtifact(DIGEST_B).build(), null, digests).inSync()).isTrue();
        DriftComparison behind = DriftComparison.of("eu-3", aDeployment().withArtifact(DIGEST_A).build(), null, digests);
        assertThat(behind.reasons()).containsExactly(DriftReason.CROSS_CLUSTER_MISMATCH);
        assertThat(behind.crossClusterOnly()).isTrue();
    }

    @Test
    void shouldFlagEveryClusterWhenNoDigestIsRunByMostClusters() {
        ClusterDigests digests = new ClusterDigests(Map.of("eu-1", DIGEST_A, "eu-2", DIGEST_B));

        assertThat(digests.outOfStep("eu-1")).isTrue();
        assertThat(digests.outOfStep("eu-2")).isTrue();
    }

    @Test
    void shouldLeaveClustersWithoutDigestOutOfTheCrossClusterComparison() {
        java.util.Map<String, String> withTagged = new java.util.HashMap<>(Map.of("eu-1", DIGEST_A));
        withTagged.put("eu-2", null);
        ClusterDigests digests = new ClusterDigests(withTagged);

        assertThat(digests.differsFromAnother("eu-1")).isFalse();
        assertThat(digests.outOfStep("eu-1")).isFalse();
        assertThat(digests.outOfStep("eu-2")).isFalse();
    }
}
