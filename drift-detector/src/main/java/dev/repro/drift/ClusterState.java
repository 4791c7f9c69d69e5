package dev.repro.drift;

import java.util.Objects;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;

/**
 * What the drift detector knows of one cluster of an environment: the deployment that runs there
 * (the latest by event time, deployed or observed) and since when what runs there is what it is,
 * the desired digests it was last compared with and since when, and the status last published
 * for it. Either "since" starts a convergence grace.
 */
public final class ClusterState {

    /** {@link #comparedSince()} when no desired state applies. */
    public static final long NO_DESIRED_STATE = Long.MIN_VALUE;

    private DeploymentEvent observed;
    private long changedAt;
    private String comparedArtifact;
    private String comparedConfig;
    private long comparedSince;
    private DriftStatus published;

    public ClusterState(DeploymentEvent observed, long changedAt, String comparedArtifact, String comparedConfig,
            long comparedSince, DriftStatus published) {
        this.observed = Objects.requireNonNull(observed, "observed");
        this.changedAt = changedAt;
        this.comparedArtifact = comparedArtifact;
        this.comparedConfig = comparedConfig;
        this.comparedSince = comparedSince;
        this.published = published;
    }

    /** A cluster first seen running {@code observed}, compared with nothing yet. */
    public static ClusterState firstSeen(DeploymentEvent observed) {
        return new ClusterState(observed, observed.getTime().toEpochMilli(), null, null, NO_DESIRED_STATE, null);
    }

    public DeploymentEvent observed() {
        return observed;
    }

    /** Event time of the deployment since which the cluster runs what it runs (artifact, image reference, config). */
    public long changedAt() {
        return changedAt;
    }

    /** Records that {@code deployment}, a later one, runs in the cluster; a change restarts its grace. */
    void observe(DeploymentEvent deployment) {
        boolean same = Objects.equals(deployment.getArtifactDigest(), observed.getArtifactDigest())
                && Objects.equals(deployment.getImageRef(), observed.getImageRef())
                && Objects.equals(deployment.getConfigDigest(), observed.getConfigDigest());
        if (!same) {
            changedAt = deployment.getTime().toEpochMilli();
        }
        observed = deployment;
    }

    public String comparedArtifact() {
        return comparedArtifact;
    }

    public String comparedConfig() {
        return comparedConfig;
    }

    /** Event time of the desired state whose digests the cluster is compared with; {@link #NO_DESIRED_STATE} without one. */
    public long comparedSince() {
        return comparedSince;
    }

    /**
     * Compares the cluster with {@code desired} (null: none) from now on. When its digests differ
     * from those compared so far, this is a new rollout: its grace starts at the desired state's
     * event time. The same digests declared again (e.g. by a new commit) start no new grace.
     */
    void compareWith(DesiredState desired) {
        String artifact = desired == null ? null : desired.getArtifactDigest();
        String config = desired == null ? null : desired.getConfigDigest();
        if (Objects.equals(artifact, comparedArtifact) && Objects.equals(config, comparedConfig)) {
            return;
        }
        comparedArtifact = artifact;
        comparedConfig = config;
        comparedSince = desired == null ? NO_DESIRED_STATE : desired.getTime().toEpochMilli();
    }

    /** The status last published for this cluster; null before the first. */
    public DriftStatus published() {
        return published;
    }

    void publish(DriftStatus status) {
        published = status;
    }
}
