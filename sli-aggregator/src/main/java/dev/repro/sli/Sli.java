package dev.repro.sli;

import java.util.Arrays;
import java.util.Optional;

/** The reproducibility SLIs of the contract (section 7): name, how a window's value is computed, default target. */
public enum Sli {

    ARTIFACT_REPRODUCIBILITY_RATE("artifact_reproducibility_rate", Kind.RATIO, 0.95),
    REPLAY_SUCCESS_RATE("replay_success_rate", Kind.RATIO, 0.90),
    DATA_PROVENANCE_COVERAGE("data_provenance_coverage", Kind.RATIO, 1.00),
    ENVIRONMENT_SNAPSHOT_COVERAGE("environment_snapshot_coverage", Kind.RATIO, 1.00),
    TRACE_CORRELATION_RATE("trace_correlation_rate", Kind.RATIO, 0.99),
    BUILD_PROVENANCE_COMPLETENESS("build_provenance_completeness", Kind.RATIO, 1.00),
    TEST_REPRODUCIBILITY_RATE("test_reproducibility_rate", Kind.RATIO, 0.98),
    DRIFT_INCIDENTS("drift_incidents", Kind.COUNT, 2),
    MODEL_REPRODUCIBILITY_DELTA("model_reproducibility_delta", Kind.MAX, 0.01),
    REPLAY_TIME_TO_VERIFY("replay_time_to_verify", Kind.P95, 3_600_000);

    /** How a window's value is computed. */
    public enum Kind {
        /** good / total; target a minimum ratio; error budget 1 - target. */
        RATIO,
        /** a count of incidents; target the count that must stay below per 28 days. */
        COUNT,
        /** the largest value; target the maximum allowed; no error budget. */
        MAX,
        /** p95 of the values (p50 also served); target the p95 bound; 5% of values may exceed it. */
        P95
    }

    private final String id;
    private final Kind kind;
    private final double defaultTarget;

    Sli(String id, Kind kind, double defaultTarget) {
        this.id = id;
        this.kind = kind;
        this.defaultTarget = defaultTarget;
    }

    /** The name on the wire, e.g. {@code replay_success_rate}. */
    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public double defaultTarget() {
        return defaultTarget;
    }

    public static Optional<Sli> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
