package dev.repro.sli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.DigestCount;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;

/**
 * What each input record contributes to the SLIs of contract section 7. Pure functions of the
 * record; event identity is {@code source + id} for events, the verdict's subject for verdicts.
 */
public final class Observations {

    private Observations() {
    }

    /** {@code build_provenance_completeness}: commit, recipe digest, builder image digest and materials all present. */
    public static List<Contribution> of(BuildEvent b) {
        boolean complete = notBlank(b.getCommit()) && notBlank(b.getRecipeDigest())
                && b.getBuilder() != null && notBlank(b.getBuilder().getImageDigest())
                && b.getMaterials() != null && !b.getMaterials().isEmpty();
        return List.of(event(Sli.BUILD_PROVENANCE_COMPLETENESS, b.getSource(), b.getId(), b.getTime().toEpochMilli(),
                complete, b.getLabels()));
    }

    /**
     * {@code data_provenance_coverage} (a digest on every input; a run declaring no inputs has
     * none missing), {@code environment_snapshot_coverage} ({@code environment_digest} present) and
     * {@code trace_correlation_rate} ({@code trace_id} and {@code code_digest} present).
     */
    public static List<Contribution> of(RunEvent r) {
        long t = r.getTime().toEpochMilli();
        boolean everyInputHashed = r.getInputs().stream().map(RunInput::getDigest).allMatch(Observations::notBlank);
        return List.of(
                event(Sli.DATA_PROVENANCE_COVERAGE, r.getSource(), r.getId(), t, everyInputHashed, r.getLabels()),
                event(Sli.ENVIRONMENT_SNAPSHOT_COVERAGE, r.getSource(), r.getId(), t, notBlank(r.getEnvironmentDigest()),
                        r.getLabels()),
                event(Sli.TRACE_CORRELATION_RATE, r.getSource(), r.getId(), t,
                        notBlank(r.getTraceId()) && notBlank(r.getCodeDigest()), r.getLabels()));
    }

    /** {@code artifact_reproducibility_rate}: a recipe with ≥ 2 successful builds counts; good with one digest. */
    public static List<Contribution> of(RebuildVerdict v) {
        int successful = v.getDigests().stream().mapToInt(DigestCount::getBuilds).sum();
        if (successful < 2) {
            return List.of();
        }
        boolean oneDigest = v.getDigests().size() == 1;
        return List.of(new Contribution(Sli.ARTIFACT_REPRODUCIBILITY_RATE, v.getRecipeKey(), true,
                v.getAsOf().toEpochMilli(), oneDigest ? 1 : 0, 1, null, Scopes.of(v.getLabels())));
    }

    /**
     * Per replay (original run + replay run): {@code replay_success_rate} (every status but
     * ORIGINAL_MISSING; good when MATCH or MATCH_WITHIN_TOLERANCE), {@code model_reproducibility_delta}
     * (the largest metric delta, when any) and {@code replay_time_to_verify} (when known).
     */
    public static List<Contribution> of(ReplayVerdict v) {
        if (v.getStatus() == ReplayStatus.ORIGINAL_MISSING) {
            return List.of();
        }
        String replay = v.getOriginalRunId() + "/" + (v.getReplayRunId() == null ? "-" : v.getReplayRunId());
        long t = v.getAsOf().toEpochMilli();
        List<String> scopes = Scopes.of(v.getLabels());
        List<Contribution> out = new ArrayList<>(3);
        boolean matched = v.getStatus() == ReplayStatus.MATCH || v.getStatus() == ReplayStatus.MATCH_WITHIN_TOLERANCE;
        out.add(new Contribution(Sli.REPLAY_SUCCESS_RATE, replay, true, t, matched ? 1 : 0, 1, null, scopes));
        if (!v.getMetricDeltas().isEmpty()) {
            double max = v.getMetricDeltas().values().stream().mapToDouble(d -> Math.abs(d)).max().orElse(0);
            out.add(new Contribution(Sli.MODEL_REPRODUCIBILITY_DELTA, replay, true, t, 0, 1, max, scopes));
        }
        if (v.getTimeToVerifyMs() != null) {
            out.add(new Contribution(Sli.REPLAY_TIME_TO_VERIFY, replay, true, t, 0, 1,
                    (double) Math.max(0, v.getTimeToVerifyMs()), scopes));
        }
        return out;
    }

    /** {@code drift_incidents}: each incident once, at its onset ({@code since}); the service scope is the status's own service. */
    public static List<Contribution> of(DriftStatus d) {
        if (d.getIncidentId() == null) {
            return List.of();
        }
        long onset = d.getSince() != null ? d.getSince().toEpochMilli() : d.getAsOf().toEpochMilli();
        Map<String, String> labels = new java.util.TreeMap<>(d.getLabels());
        labels.put("service", d.getService());
        return List.of(new Contribution(Sli.DRIFT_INCIDENTS, d.getIncidentId(), false, onset, 1, 1, null, Scopes.of(labels)));
    }

    /** {@code test_reproducibility_rate} for a suite at a commit, once it ran in ≥ 2 environments. */
    public static List<Contribution> of(String suiteAtCommit, SuiteRuns runs) {
        if (!runs.eligible()) {
            return List.of();
        }
        return List.of(new Contribution(Sli.TEST_REPRODUCIBILITY_RATE, suiteAtCommit, true, runs.latest(),
                runs.oneOutcome() ? 1 : 0, 1, null, Scopes.of(runs.labels())));
    }

    private static Contribution event(Sli sli, String source, String id, long time, boolean good, Map<String, String> labels) {
        return new Contribution(sli, source + "|" + id, false, time, good ? 1 : 0, 1, null, Scopes.of(labels));
    }

    private static boolean notBlank(CharSequence s) {
        return s != null && !s.toString().isBlank();
    }
}
