package dev.repro.sli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.repro.schema.AlertKind;
import dev.repro.schema.Criticality;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.Evidence;
import dev.repro.schema.EvidenceKind;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.Severity;
import dev.repro.schema.Suspect;

/**
 * The alert conditions the verdicts show (contract section 8): REPLAY_FAILED, UNREPRODUCIBLE_BUILD
 * and DRIFT. A verdict either shows the condition holding, shows it cleared, or says nothing
 * about it (e.g. a PENDING recipe, a replay whose original is missing).
 */
public final class VerdictAlerts {

    private final SliConfig config;

    public VerdictAlerts(SliConfig config) {
        this.config = config;
    }

    /** Key {@code replay/<code_digest>}: holds on MISMATCH or REPLAY_FAILED (PAGE for PRODUCTION), clears on a match. */
    public Optional<AlertCondition> of(ReplayVerdict v) {
        boolean failed = v.getStatus() == ReplayStatus.MISMATCH || v.getStatus() == ReplayStatus.REPLAY_FAILED;
        boolean matched = v.getStatus() == ReplayStatus.MATCH || v.getStatus() == ReplayStatus.MATCH_WITHIN_TOLERANCE;
        if (!failed && !matched) {
            return Optional.empty();
        }
        String causes = v.getCauses().isEmpty() ? "" : " (" + v.getCauses().stream().map(Enum::name)
                .collect(Collectors.joining(", ")) + ")";
        String line = v.getStatus() + causes + ": replay " + v.getReplayRunId() + " of run " + v.getOriginalRunId();
        Severity severity = v.getCriticality() == Criticality.PRODUCTION ? Severity.PAGE : Severity.TICKET;
        return Optional.of(new AlertCondition("replay/" + v.getCodeDigest(), AlertKind.REPLAY_FAILED, failed, severity,
                "job " + v.getJob() + " " + (failed ? "does not replay" : "replays") + ": " + line, v.getCodeDigest(),
                List.of(evidence(EvidenceKind.REPLAY_VERDICT, v.getOriginalRunId(), line)),
                labels(v.getLabels(), Map.of("job", v.getJob(), "criticality", v.getCriticality().name())),
                v.getAsOf().toEpochMilli()));
    }

    /** Key {@code rebuild/<artifact name>}: holds when UNREPRODUCIBLE (PAGE on a regression), clears when REPRODUCIBLE. */
    public Optional<AlertCondition> of(RebuildVerdict v) {
        boolean unreproducible = v.getStatus() == RebuildStatus.UNREPRODUCIBLE;
        if (!unreproducible && v.getStatus() != RebuildStatus.REPRODUCIBLE) {
            return Optional.empty();
        }
        String suspect = v.getSuspects().isEmpty() ? "" : ", suspect " + v.getSuspects().stream().map(Suspect::getPath)
                .limit(3).collect(Collectors.joining(", "));
        String line = v.getStatus() + ": " + v.getDigests().size() + " digest" + (v.getDigests().size() == 1 ? "" : "s")
                + " from " + v.getBuilds() + " builds" + suspect;
        String summary = v.getArtifactName() + "@" + shortCommit(v.getCommit()) + (unreproducible
                ? " rebuilt to " + v.getDigests().size() + " digests" + (v.getRegression() ? " (regression)" : "") + suspect
                : " rebuilds reproducibly");
        return Optional.of(new AlertCondition("rebuild/" + v.getArtifactName(), AlertKind.UNREPRODUCIBLE_BUILD, unreproducible,
                v.getRegression() ? Severity.PAGE : Severity.TICKET, summary, v.getArtifactName(),
                List.of(evidence(EvidenceKind.REBUILD_VERDICT, v.getRecipeKey(), line)),
                labels(v.getLabels(), Map.of("artifact", v.getArtifactName())), v.getAsOf().toEpochMilli()));
    }

    /** Key {@code drift/<service/environment/cluster>}: holds when DRIFTED or UNVERIFIABLE (PAGE in production), clears IN_SYNC. */
    public Optional<AlertCondition> of(DriftStatus d) {
        boolean drifted = d.getStatus() != DriftState.IN_SYNC;
        String reasons = d.getReasons().isEmpty() ? "" : " (" + d.getReasons().stream().map(Enum::name)
                .collect(Collectors.joining(", ")) + ")";
        String line = d.getStatus() + reasons + (d.getIncidentId() != null ? ", incident " + d.getIncidentId() : "");
        return Optional.of(new AlertCondition("drift/" + d.getTarget(), AlertKind.DRIFT, drifted,
                config.isProduction(d.getEnvironment()) ? Severity.PAGE : Severity.TICKET,
                d.getTarget() + (drifted ? " drifted from Git: " : " back in sync: ") + line, d.getTarget(),
                List.of(evidence(EvidenceKind.DRIFT_STATUS, d.getTarget(), line)),
                labels(d.getLabels(), Map.of("service", d.getService(), "environment", d.getEnvironment(),
                        "cluster", d.getCluster())),
                d.getAsOf().toEpochMilli()));
    }

    static Evidence evidence(EvidenceKind kind, String key, String summary) {
        return Evidence.newBuilder().setKind(kind).setKey(key).setSummary(summary).build();
    }

    private static Map<String, String> labels(Map<String, String> own, Map<String, String> extra) {
        Map<String, String> labels = new TreeMap<>(own);
        extra.forEach(labels::putIfAbsent);
        return labels;
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
