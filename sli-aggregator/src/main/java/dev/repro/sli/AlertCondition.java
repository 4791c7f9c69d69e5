package dev.repro.sli;

import java.util.List;
import java.util.Map;

import java.time.Instant;
import java.util.TreeMap;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Evidence;
import dev.repro.schema.Severity;

/**
 * One observation of an alert's underlying condition at event time {@code time}: it holds (with
 * a severity, summary and evidence) or it is clear.
 */
public record AlertCondition(String key, AlertKind kind, boolean holds, Severity severity, String summary, String scope,
        List<Evidence> evidence, Map<String, String> labels, long time) {

    public AlertCondition {
        evidence = List.copyOf(evidence);
        labels = Map.copyOf(labels);
    }

    /**
     * This condition as an {@link Alert} record, for the internal repartition topic: status FIRING
     * when it holds, RESOLVED when clear, all times the condition's event time.
     */
    public Alert toCarrier() {
        Instant t = Instant.ofEpochMilli(time);
        return Alert.newBuilder().setKey(key).setKind(kind).setSeverity(severity)
                .setStatus(holds ? AlertStatus.FIRING : AlertStatus.RESOLVED).setSummary(summary).setScope(scope)
                .setFirstSeen(t).setLastSeen(t).setCount(1).setEvidence(evidence).setRunbook(Runbooks.of(kind))
                .setLabels(new TreeMap<>(labels)).setAsOf(t).build();
    }

    public static AlertCondition fromCarrier(Alert carrier) {
        return new AlertCondition(carrier.getKey(), carrier.getKind(), carrier.getStatus() == AlertStatus.FIRING,
                carrier.getSeverity(), carrier.getSummary(), carrier.getScope(), carrier.getEvidence(), carrier.getLabels(),
                carrier.getAsOf().toEpochMilli());
    }
}
