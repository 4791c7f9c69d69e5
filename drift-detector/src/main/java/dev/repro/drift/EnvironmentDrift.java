package dev.repro.drift;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;

/**
 * Everything the drift detector knows of one {@code service/environment}: its desired states
 * (one for every cluster, and per-cluster ones that override it), what runs in each of its
 * clusters, and when one of its clusters last changed artifact digest. {@link #review} turns
 * that into the drift status of each cluster, and says which ones changed.
 *
 * <p>Each desired state and each cluster keeps the latest event by event time (then source, then
 * id), so a duplicate or an older event changes nothing, whatever order events arrive in.
 *
 * <p>A cluster that is not in sync is not reported while it is converging (its status stays
 * what it was): for the grace after the latest change of what it runs (a deploy) or of the
 * digests it is compared with (a new desired state), both by event time; and, when only its
 * disagreeing with the other clusters is wrong, for the grace after the latest digest change in
 * the environment. An incident opens when a cluster is first reported DRIFTED or UNVERIFIABLE
 * (at the end of its grace, or at the event that made it so after that) and closes when it is
 * IN_SYNC again; its id is {@code <target>@<onset>}.
 */
public final class EnvironmentDrift {

    /** A time that has not happened: no deployment or digest change yet. */
    public static final long NEVER = Long.MIN_VALUE;

    static final Comparator<DesiredState> DESIRED_ORDER = Comparator.comparing(DesiredState::getTime)
            .thenComparing(DesiredState::getSource).thenComparing(DesiredState::getId);
    static final Comparator<DeploymentEvent> DEPLOYMENT_ORDER = Comparator.comparing(DeploymentEvent::getTime)
            .thenComparing(DeploymentEvent::getSource).thenComparing(DeploymentEvent::getId);

    /**
     * The outcome of a {@link #review}.
     *
     * @param changes   the statuses that changed, one per cluster, in cluster order
     * @param heldUntil the earliest end of grace during which a cluster's drift is not reported yet
     *                  (the one to file, {@link #fileGraceEnd}); {@link #NEVER} when no cluster is held back
     */
    public record Review(List<DriftStatus> changes, long heldUntil) {
    }

    private final String service;
    private final String environment;
    private DesiredState environmentWide;
    private final NavigableMap<String, DesiredState> perCluster;
    private final NavigableMap<String, ClusterState> clusters;
    private long lastDigestChange;
    private long filedGraceEnd;

    public EnvironmentDrift(String service, String environment, DesiredState environmentWide,
            Map<String, DesiredState> perCluster, Map<String, ClusterState> clusters, long lastDigestChange,
            long filedGraceEnd) {
        this.service = service;
        this.environment = environment;
        this.environmentWide = environmentWide;
        this.perCluster = new TreeMap<>(perCluster);
        this.clusters = new TreeMap<>(clusters);
        this.lastDigestChange = lastDigestChange;
        this.filedGraceEnd = filedGraceEnd;
    }

    public static EnvironmentDrift empty(String service, String environment) {
        return new EnvironmentDrift(service, environment, null, Map.of(), Map.of(), NEVER, NEVER);
    }

    public String service() {
        return service;
    }

    public String environment() {
        return environment;
    }

    /** The desired state for every cluster; null when none is declared. */
    public DesiredState environmentWide() {
        return environmentWide;
    }

    /** The desired states declared for one cluster, by cluster. */
    public Map<String, DesiredState> perCluster() {
        return Map.copyOf(perCluster);
    }

    /** Every cluster seen, by name. */
    public Map<String, ClusterState> clusters() {
        return Map.copyOf(clusters);
    }

    /** Event time of the latest deployment that changed the artifact digest a cluster runs; {@link #NEVER} before one. */
    public long lastDigestChange() {
        return lastDigestChange;
    }

    /**
     * The earliest end of grace filed for this environment in the detector's index of deadlines and
     * not taken from it yet; {@link #NEVER} when none is. Kept with the environment, so that after a
     * restart it still describes the index (both are restored from their changelogs).
     */
    public long filedGraceEnd() {
        return filedGraceEnd;
    }

    /**
     * Whether {@code end}, the earliest end of grace a review held a cluster back until, is to be
     * filed in the index of deadlines: yes (and it is noted as filed) unless an end no later than it
     * is filed already. The review at an end files the next one, so one entry per environment at a
     * time suffices, however often the environment is reviewed meanwhile.
     */
    public boolean fileGraceEnd(long end) {
        if (filedGraceEnd != NEVER && filedGraceEnd <= end) {
            return false;
        }
        filedGraceEnd = end;
        return true;
    }

    /** Notes that the end of grace {@code end} came due and left the index of deadlines. */
    public void graceEndTaken(long end) {
        if (filedGraceEnd == end) {
            filedGraceEnd = NEVER;
        }
    }

    /**
     * Records {@code desired} for {@code cluster} (null: every cluster). Returns false, changing
     * nothing, when it is the one already known or older than it.
     */
    public boolean declare(String cluster, DesiredState desired) {
        DesiredState current = cluster == null ? environmentWide : perCluster.get(cluster);
        if (current != null && DESIRED_ORDER.compare(desired, current) <= 0) {
            return false;
        }
        if (cluster == null) {
            environmentWide = desired;
        } else {
            perCluster.put(cluster, desired);
        }
        return true;
    }

    /** Removes the desired state of {@code cluster} (null: every cluster); false when there was none. */
    public boolean removeDesired(String cluster) {
        if (cluster == null) {
            boolean had = environmentWide != null;
            environmentWide = null;
            return had;
        }
        return perCluster.remove(cluster) != null;
    }

    /**
     * Records that {@code deployment} runs in {@code cluster}. Returns false, changing nothing,
     * when it is the deployment already known there or older than it.
     */
    public boolean observe(String cluster, DeploymentEvent deployment) {
        ClusterState state = clusters.get(cluster);
        String digestBefore = null;
        if (state == null) {
            clusters.put(cluster, ClusterState.firstSeen(deployment));
        } else if (DEPLOYMENT_ORDER.compare(deployment, state.observed()) <= 0) {
            return false;
        } else {
            digestBefore = state.observed().getArtifactDigest();
            state.observe(deployment);
        }
        String digest = deployment.getArtifactDigest();
        if (digest != null && !digest.equals(digestBefore)) {
            lastDigestChange = Math.max(lastDigestChange, deployment.getTime().toEpochMilli());
        }
        return true;
    }

    public boolean hasDesired() {
        return environmentWide != null || !perCluster.isEmpty();
    }

    /** Nothing declared and nothing seen: nothing to keep. */
    public boolean isEmpty() {
        return !hasDesired() && clusters.isEmpty();
    }

    /** Event time of the latest deployment in any cluster; {@link #NEVER} before the first. */
    public long lastDeployment() {
        return clusters.values().stream().mapToLong(c -> c.observed().getTime().toEpochMilli()).max().orElse(NEVER);
    }

    /**
     * Judges every cluster at stream time {@code now}: graces ending before {@code now} are over.
     * {@code trigger} is the event time of what caused the review (an event, or the end of a
     * grace); it is the onset of an incident opened now (or the end of the grace that held it back,
     * if later) and the {@code as_of} of the statuses (never before a cluster's previous one).
     */
    public Review review(long now, long trigger, Duration grace) {
        long graceMs = grace.toMillis();
        Map<String, String> digests = new HashMap<>();
        clusters.forEach((name, state) -> digests.put(name, state.observed().getArtifactDigest()));
        ClusterDigests environmentDigests = new ClusterDigests(digests);
        List<DriftStatus> changes = new ArrayList<>();
        long heldUntil = NEVER;
        for (Map.Entry<String, ClusterState> entry : clusters.entrySet()) {
            String cluster = entry.getKey();
            ClusterState state = entry.getValue();
            DesiredState desired = perCluster.getOrDefault(cluster, environmentWide);
            state.compareWith(desired);
            DriftComparison comparison = DriftComparison.of(cluster, state.observed(), desired, environmentDigests);
            long graceEnd = graceEnd(state, comparison, graceMs);
            if (!comparison.inSync() && now <= graceEnd) {
                heldUntil = heldUntil == NEVER ? graceEnd : Math.min(heldUntil, graceEnd);
                continue;
            }
            if (state.published() == null || !sameReport(state.published(), comparison, desired, state.observed())) {
                DriftStatus next = next(cluster, state, desired, comparison, trigger, graceEnd);
                state.publish(next);
                changes.add(next);
            }
        }
        return new Review(List.copyOf(changes), heldUntil);
    }

    /**
     * Until when the cluster is converging: the grace after the latest change of what it runs or
     * of its desired digests; when only its disagreeing with the other clusters is wrong, also
     * after the latest digest change in the environment.
     */
    private long graceEnd(ClusterState state, DriftComparison comparison, long graceMs) {
        long start = Math.max(state.changedAt(), state.comparedSince());
        if (comparison.crossClusterOnly()) {
            start = Math.max(start, lastDigestChange);
        }
        return start + graceMs;
    }

    private DriftStatus next(String cluster, ClusterState state, DesiredState desired, DriftComparison comparison,
            long trigger, long graceEnd) {
        DriftStatus previous = state.published();
        boolean open = previous != null && previous.getStatus() != DriftState.IN_SYNC;
        long asOf = previous == null ? trigger : Math.max(trigger, previous.getAsOf().toEpochMilli());
        String target = service + "/" + environment + "/" + cluster;
        DeploymentEvent observed = state.observed();
        DriftStatus.Builder status = DriftStatus.newBuilder()
                .setTarget(target)
                .setService(service)
                .setEnvironment(environment)
                .setCluster(cluster)
                .setStatus(comparison.state())
                .setReasons(comparison.reasons())
                .setDesiredArtifactDigest(desired == null ? null : desired.getArtifactDigest())
                .setObservedArtifactDigest(observed.getArtifactDigest())
                .setDesiredConfigDigest(desired == null ? null : desired.getConfigDigest())
                .setObservedConfigDigest(observed.getConfigDigest())
                .setImageRef(observed.getImageRef())
                .setGitCommit(desired == null ? null : desired.getGitCommit())
                .setLabels(labels(observed, desired))
                .setDesiredEventId(desired == null ? null : desired.getId())
                .setObservedEventId(observed.getId());
        if (comparison.inSync()) {
            if (open) {
                status.setClosedIncidentId(previous.getIncidentId())
                        .setClosedIncidentDurationMs(asOf - previous.getSince().toEpochMilli());
            }
        } else if (open) {
            status.setSince(previous.getSince()).setIncidentId(previous.getIncidentId());
        } else {
            long since = Math.max(trigger, graceEnd);
            asOf = Math.max(asOf, since);
            status.setSince(Instant.ofEpochMilli(since)).setIncidentId(target + "@" + Instant.ofEpochMilli(since));
        }
        return status.setAsOf(Instant.ofEpochMilli(asOf)).build();
    }

    /** The labels of the later of the deployment and the desired state, in key order. */
    private static Map<String, String> labels(DeploymentEvent observed, DesiredState desired) {
        boolean desiredIsLater = desired != null && desired.getTime().isAfter(observed.getTime());
        return new TreeMap<>(desiredIsLater ? desired.getLabels() : observed.getLabels());
    }

    /**
     * Whether the status published already says what a status made now would: same status, reasons
     * and compared digests, so nothing a reader of the topic needs to hear again. Asked before a
     * status is built, as most reviews change nothing for most clusters.
     */
    private static boolean sameReport(DriftStatus published, DriftComparison comparison, DesiredState desired,
            DeploymentEvent observed) {
        return published.getStatus() == comparison.state()
                && published.getReasons().equals(comparison.reasons())
                && Objects.equals(published.getDesiredArtifactDigest(), desired == null ? null : desired.getArtifactDigest())
                && Objects.equals(published.getObservedArtifactDigest(), observed.getArtifactDigest())
                && Objects.equals(published.getDesiredConfigDigest(), desired == null ? null : desired.getConfigDigest())
                && Objects.equals(published.getObservedConfigDigest(), observed.getConfigDigest());
    }
}
