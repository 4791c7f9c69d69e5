package dev.repro.verifier;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.repro.schema.Criticality;
import dev.repro.schema.ReplayCause;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;
import dev.repro.schema.RunOutput;
import dev.repro.schema.RunStatus;

/**
 * The verdict on one replay of a run (CONTRACT section 6), from the two run events alone:
 * <ul>
 * <li>REPLAY_FAILED when the replay's status is FAILED;</li>
 * <li>MATCH when both runs wrote the same outputs (by name) with the same digests;</li>
 * <li>MATCH_WITHIN_TOLERANCE when outputs differ but a tolerance is declared and every metric
 *     it names was reported by both runs with an absolute delta within it;</li>
 * <li>MISMATCH otherwise, with the causes found by comparing the runs, in declaration order of
 *     {@link ReplayCause}: an input digest differs or an input is only in one run
 *     (INPUT_DIFFERS), an input has no digest (INPUT_HASH_MISSING), seeds differ (SEED_DIFFERS)
 *     or either run has none (SEED_MISSING), environment, code or parameters digests differ
 *     (one side absent counts as differing; both absent does not), and NONDETERMINISTIC when
 *     none of these holds: every declared input is equal yet the outputs differ.</li>
 * </ul>
 * {@code as_of} is the later event time of the two runs and {@code time_to_verify_ms} runs from
 * the replay's {@code finished_at} to it. The tolerance is the original's, else the replay's.
 */
public final class ReplayVerification {

    private ReplayVerification() {
    }

    /** The verdict on {@code replay} against {@code original}. */
    public static ReplayVerdict judge(String originalRunId, RunEvent original, RunEvent replay) {
        Objects.requireNonNull(original, "original");
        Instant asOf = later(original.getTime(), replay.getTime());
        if (replay.getStatus() == RunStatus.FAILED) {
            return verdict(originalRunId, original, replay, ReplayStatus.REPLAY_FAILED, List.of(), asOf);
        }
        ReplayStatus status;
        List<ReplayCause> causes = List.of();
        if (outputs(original).equals(outputs(replay))) {
            status = ReplayStatus.MATCH;
        } else if (withinTolerance(original, replay)) {
            status = ReplayStatus.MATCH_WITHIN_TOLERANCE;
        } else {
            status = ReplayStatus.MISMATCH;
            causes = causes(original, replay);
        }
        return verdict(originalRunId, original, replay, status, causes, asOf);
    }

    /** REPLAY_FAILED for a failed replay whose original has not been seen (judged at once: nothing to compare). */
    public static ReplayVerdict failedWithoutOriginal(String originalRunId, RunEvent replay) {
        if (replay.getStatus() != RunStatus.FAILED) {
            throw new IllegalArgumentException("replay " + replay.getRunId() + " of " + originalRunId + " did not fail");
        }
        return verdict(originalRunId, null, replay, ReplayStatus.REPLAY_FAILED, List.of(), replay.getTime());
    }

    /** ORIGINAL_MISSING: no original of {@code replay} was seen by {@code waitEnd} (event time). */
    public static ReplayVerdict originalMissing(String originalRunId, RunEvent replay, Instant waitEnd) {
        return verdict(originalRunId, null, replay, ReplayStatus.ORIGINAL_MISSING, List.of(), waitEnd);
    }

    /** Why the outputs of two runs may differ, in {@link ReplayCause} order; NONDETERMINISTIC when no declared input differs. */
    public static List<ReplayCause> causes(RunEvent original, RunEvent replay) {
        Set<ReplayCause> causes = EnumSet.noneOf(ReplayCause.class);
        Map<String, String> inputsA = inputs(original);
        Map<String, String> inputsB = inputs(replay);
        if (!inputsA.keySet().equals(inputsB.keySet())) {
            causes.add(ReplayCause.INPUT_DIFFERS);
        }
        for (String name : inputsA.keySet()) {
            String a = inputsA.get(name);
            String b = inputsB.get(name);
            if (a != null && b != null && !a.equals(b)) {
                causes.add(ReplayCause.INPUT_DIFFERS);
            }
        }
        if (inputsA.containsValue(null) || inputsB.containsValue(null)) {
            causes.add(ReplayCause.INPUT_HASH_MISSING);
        }
        if (original.getSeed() == null || replay.getSeed() == null) {
            causes.add(ReplayCause.SEED_MISSING);
        } else if (!original.getSeed().equals(replay.getSeed())) {
            causes.add(ReplayCause.SEED_DIFFERS);
        }
        if (!Objects.equals(original.getEnvironmentDigest(), replay.getEnvironmentDigest())) {
            causes.add(ReplayCause.ENVIRONMENT_DIFFERS);
        }
        if (!original.getCodeDigest().equals(replay.getCodeDigest())) {
            causes.add(ReplayCause.CODE_DIFFERS);
        }
        if (!Objects.equals(original.getParametersDigest(), replay.getParametersDigest())) {
            causes.add(ReplayCause.PARAMETERS_DIFFER);
        }
        if (causes.isEmpty()) {
            causes.add(ReplayCause.NONDETERMINISTIC);
        }
        return List.copyOf(causes);
    }

    /** |replay - original| of every metric both runs reported, by name. */
    public static Map<String, Double> metricDeltas(RunEvent original, RunEvent replay) {
        Map<String, Double> deltas = new TreeMap<>();
        if (original == null) {
            return deltas;
        }
        original.getMetrics().forEach((name, a) -> {
            Double b = replay.getMetrics().get(name);
            if (a != null && b != null) {
                deltas.put(name, Math.abs(b - a));
            }
        });
        return deltas;
    }

    private static boolean withinTolerance(RunEvent original, RunEvent replay) {
        Map<String, Double> tolerance = original.getTolerance().isEmpty() ? replay.getTolerance() : original.getTolerance();
        if (tolerance.isEmpty()) {
            return false;
        }
        Map<String, Double> deltas = metricDeltas(original, replay);
        return tolerance.entrySet().stream().allMatch(t -> {
            Double delta = deltas.get(t.getKey());
            return delta != null && t.getValue() != null && delta <= t.getValue();
        });
    }

    private static ReplayVerdict verdict(String originalRunId, RunEvent original, RunEvent replay, ReplayStatus status,
            List<ReplayCause> causes, Instant asOf) {
        boolean production = replay.getCriticality() == Criticality.PRODUCTION
                || (original != null && original.getCriticality() == Criticality.PRODUCTION);
        return ReplayVerdict.newBuilder()
                .setOriginalRunId(originalRunId)
                .setReplayRunId(replay.getRunId())
                .setJob(replay.getJob())
                .setCodeDigest(replay.getCodeDigest())
                .setCriticality(production ? Criticality.PRODUCTION : Criticality.NON_PRODUCTION)
                .setStatus(status)
                .setCauses(causes)
                .setMetricDeltas(metricDeltas(original, replay))
                .setTimeToVerifyMs(asOf.toEpochMilli() - replay.getFinishedAt().toEpochMilli())
                .setLabels(new TreeMap<>(replay.getLabels()))
                .setOriginalEventId(original == null ? null : original.getId())
                .setReplayEventId(replay.getId())
                .setAsOf(asOf)
                .build();
    }

    private static Map<String, String> outputs(RunEvent run) {
        Map<String, String> outputs = new TreeMap<>();
        for (RunOutput o : run.getOutputs()) {
            outputs.put(o.getName(), o.getDigest());
        }
        return outputs;
    }

    /** Inputs by name; a name reported twice keeps every digest, joined, so a change in any is seen. */
    private static Map<String, String> inputs(RunEvent run) {
        Map<String, String> inputs = new TreeMap<>();
        Set<String> names = new TreeSet<>();
        for (RunInput i : run.getInputs()) {
            if (!names.add(i.getName())) {
                String prior = inputs.get(i.getName());
                inputs.put(i.getName(), prior == null || i.getDigest() == null ? null : prior + "," + i.getDigest());
            } else {
                inputs.put(i.getName(), i.getDigest());
            }
        }
        return inputs;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
