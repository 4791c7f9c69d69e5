package dev.repro.drift;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;

/**
 * How what runs in one cluster compares with what Git declares for it and with the other
 * clusters of its environment, before any convergence grace.
 *
 * <ul>
 *   <li>{@code ARTIFACT_MISMATCH}: the cluster runs another artifact digest than its desired state.</li>
 *   <li>{@code CONFIG_MISMATCH}: both the desired state and the deployment name a config digest, and they differ.</li>
 *   <li>{@code MUTABLE_REFERENCE}: deployed by a mutable tag, with no digest to compare.</li>
 *   <li>{@code CROSS_CLUSTER_MISMATCH}: with a desired state, the cluster runs the wrong artifact and another
 *       cluster of the environment runs a different one; with none, the cluster is out of step with the
 *       others ({@link ClusterDigests#outOfStep}).</li>
 * </ul>
 * The status is IN_SYNC without reasons, UNVERIFIABLE when the only reason is a mutable
 * reference, DRIFTED otherwise. Reasons are listed in the schema's order.
 */
public record DriftComparison(DriftState state, List<DriftReason> reasons) {

    public static final DriftComparison IN_SYNC = new DriftComparison(DriftState.IN_SYNC, List.of());

    public DriftComparison {
        reasons = List.copyOf(reasons);
    }

    /**
     * Compares the deployment {@code observed} in {@code cluster} with {@code desired} (null when
     * none applies) and with the {@code digests} of its environment's clusters.
     */
    public static DriftComparison of(String cluster, DeploymentEvent observed, DesiredState desired, ClusterDigests digests) {
        Set<DriftReason> reasons = EnumSet.noneOf(DriftReason.class);
        String artifact = observed.getArtifactDigest();
        if (artifact == null) {
            reasons.add(DriftReason.MUTABLE_REFERENCE);
        }
        if (desired != null) {
            if (artifact != null && !artifact.equals(desired.getArtifactDigest())) {
                reasons.add(DriftReason.ARTIFACT_MISMATCH);
                if (digests.differsFromAnother(cluster)) {
                    reasons.add(DriftReason.CROSS_CLUSTER_MISMATCH);
                }
            }
            if (desired.getConfigDigest() != null && observed.getConfigDigest() != null
                    && !Objects.equals(desired.getConfigDigest(), observed.getConfigDigest())) {
                reasons.add(DriftReason.CONFIG_MISMATCH);
            }
        } else if (digests.outOfStep(cluster)) {
            reasons.add(DriftReason.CROSS_CLUSTER_MISMATCH);
        }
        if (reasons.isEmpty()) {
            return IN_SYNC;
        }
        DriftState state = reasons.equals(EnumSet.of(DriftReason.MUTABLE_REFERENCE)) ? DriftState.UNVERIFIABLE : DriftState.DRIFTED;
        return new DriftComparison(state, List.copyOf(reasons));
    }

    public boolean inSync() {
        return state == DriftState.IN_SYNC;
    }

    /** Whether the clusters disagreeing is the only reason (the case of an environment without desired state). */
    public boolean crossClusterOnly() {
        return reasons.equals(List.of(DriftReason.CROSS_CLUSTER_MISMATCH));
    }
}
