package dev.repro.sli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Evidence;

/**
 * The alert state machine of contract section 8, per dedupe key, in event time only:
 * <ul>
 * <li>a condition that holds with no alert, or after a resolution older than the flap window:
 *     a new alert, FIRING, count 1, first_seen = now;</li>
 * <li>holds while FIRING: a FIRING update (count + 1, last_seen, latest severity, summary and
 *     evidence first);</li>
 * <li>holds within the flap window after RESOLVED: the same alert reopens (first_seen kept,
 *     count + 1);</li>
 * <li>clear while FIRING: RESOLVED, sent once; clear otherwise: nothing;</li>
 * <li>a condition older than the latest one seen for the key: ignored.</li>
 * </ul>
 */
public final class AlertLifecycle {

    /** At most this many evidence entries, most recent first. */
    public static final int MAX_EVIDENCE = 10;

    private final Duration flapWindow;

    public AlertLifecycle(Duration flapWindow) {
        this.flapWindow = flapWindow;
    }

    /** The new state and, when something is to be sent, the alert. */
    public record Transition(AlertState state, Optional<Alert> emitted) {
    }

    public Transition on(AlertState previous, AlertCondition c) {
        if (previous != null && c.time() < previous.lastConditionTime()) {
            return new Transition(previous, Optional.empty());
        }
        Alert last = previous == null ? null : previous.alert();
        long resolvedAt = previous == null ? Long.MIN_VALUE : previous.resolvedAt();
        if (!c.holds()) {
            if (last != null && last.getStatus() == AlertStatus.FIRING) {
                Alert resolved = Alert.newBuilder(last).setStatus(AlertStatus.RESOLVED).setAsOf(Instant.ofEpochMilli(c.time()))
                        .setSummary("resolved: " + last.getSummary()).setLabels(new java.util.TreeMap<>(last.getLabels())).build();
                return new Transition(new AlertState(resolved, c.time(), c.time()), Optional.of(resolved));
            }
            return new Transition(new AlertState(last, resolvedAt, c.time()), Optional.empty());
        }
        Alert next;
        boolean continuing = last != null && (last.getStatus() == AlertStatus.FIRING
                || c.time() - resolvedAt <= flapWindow.toMillis());
        if (continuing) {
            next = Alert.newBuilder(last)
                    .setStatus(AlertStatus.FIRING)
                    .setSeverity(c.severity())
                    .setSummary(c.summary())
                    .setScope(c.scope())
                    .setLastSeen(Instant.ofEpochMilli(Math.max(c.time(), last.getLastSeen().toEpochMilli())))
                    .setCount(last.getCount() + 1)
                    .setEvidence(merge(c.evidence(), last.getEvidence()))
                    .setLabels(mergeLabels(last.getLabels(), c.labels()))
                    .setAsOf(Instant.ofEpochMilli(c.time()))
                    .build();
        } else {
            next = Alert.newBuilder()
                    .setKey(c.key())
                    .setKind(c.kind())
                    .setSeverity(c.severity())
                    .setStatus(AlertStatus.FIRING)
                    .setSummary(c.summary())
                    .setScope(c.scope())
                    .setFirstSeen(Instant.ofEpochMilli(c.time()))
                    .setLastSeen(Instant.ofEpochMilli(c.time()))
                    .setCount(1)
                    .setEvidence(merge(c.evidence(), List.of()))
                    .setRunbook(Runbooks.of(c.kind()))
                    .setLabels(new java.util.TreeMap<>(c.labels()))
                    .setAsOf(Instant.ofEpochMilli(c.time()))
                    .build();
        }
        return new Transition(new AlertState(next, Long.MIN_VALUE, c.time()), Optional.of(next));
    }

    private static List<Evidence> merge(List<Evidence> newest, List<Evidence> older) {
        Map<String, Evidence> byKey = new LinkedHashMap<>();
        for (Evidence e : newest) {
            byKey.putIfAbsent(e.getKind() + "|" + e.getKey(), e);
        }
        for (Evidence e : older) {
            byKey.putIfAbsent(e.getKind() + "|" + e.getKey(), e);
        }
        List<Evidence> merged = new ArrayList<>(byKey.values());
        return merged.size() > MAX_EVIDENCE ? new ArrayList<>(merged.subList(0, MAX_EVIDENCE)) : merged;
    }

    private static Map<String, String> mergeLabels(Map<String, String> older, Map<String, String> newest) {
        Map<String, String> merged = new java.util.TreeMap<>(older);
        merged.putAll(newest);
        return merged;
    }
}
