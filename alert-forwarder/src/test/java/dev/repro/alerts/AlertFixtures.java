package dev.repro.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.Evidence;
import dev.repro.schema.EvidenceKind;
import dev.repro.schema.Severity;

/** Small builders of alerts for the tests: {@code anAlert("replay/sha256:c1").page().firing().build()}. */
public final class AlertFixtures {

    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private AlertFixtures() {
    }

    /** A FIRING TICKET REPLAY_FAILED alert with one piece of evidence, first seen at {@link #T0}. */
    public static AlertBuilder anAlert(String key) {
        return new AlertBuilder(key);
    }

    /** Builds one {@link Alert}. */
    public static final class AlertBuilder {
        private final String key;
        private AlertKind kind = AlertKind.REPLAY_FAILED;
        private Severity severity = Severity.TICKET;
        private AlertStatus status = AlertStatus.FIRING;
        private String summary;
        private String scope = "sha256:c1";
        private Instant firstSeen = T0;
        private Instant asOf = T0;
        private int count = 1;
        private final List<Evidence> evidence = new ArrayList<>(List.of(Evidence.newBuilder()
                .setKind(EvidenceKind.REPLAY_VERDICT).setKey("run-1").setSummary("MISMATCH: replay run-1-r of run run-1").build()));
        private String runbook = "docs/runbooks/replay-failed.md";
        private final Map<String, String> labels = new LinkedHashMap<>(Map.of("team", "ml"));

        private AlertBuilder(String key) {
            this.key = key;
            this.summary = "job train does not replay: " + key;
        }

        public AlertBuilder kind(AlertKind value) {
            kind = value;
            return this;
        }

        public AlertBuilder page() {
            severity = Severity.PAGE;
            return this;
        }

        public AlertBuilder ticket() {
            severity = Severity.TICKET;
            return this;
        }

        public AlertBuilder firing() {
            status = AlertStatus.FIRING;
            return this;
        }

        public AlertBuilder resolved() {
            status = AlertStatus.RESOLVED;
            return this;
        }

        public AlertBuilder summary(String value) {
            summary = value;
            return this;
        }

        public AlertBuilder scope(String value) {
            scope = value;
            return this;
        }

        /** first_seen, and as_of when it is earlier. */
        public AlertBuilder firstSeen(Instant value) {
            firstSeen = value;
            if (asOf.isBefore(value)) {
                asOf = value;
            }
            return this;
        }

        public AlertBuilder asOf(Instant value) {
            asOf = value;
            return this;
        }

        public AlertBuilder count(int value) {
            count = value;
            return this;
        }

        public AlertBuilder runbook(String value) {
            runbook = value;
            return this;
        }

        public AlertBuilder label(String name, String value) {
            labels.put(name, value);
            return this;
        }

        public AlertBuilder noEvidence() {
            evidence.clear();
            return this;
        }

        public Alert build() {
            return Alert.newBuilder().setKey(key).setKind(kind).setSeverity(severity).setStatus(status).setSummary(summary)
                    .setScope(scope).setFirstSeen(firstSeen).setLastSeen(asOf).setCount(count).setEvidence(List.copyOf(evidence))
                    .setRunbook(runbook).setLabels(Map.copyOf(labels)).setAsOf(asOf).build();
        }
    }
}
