package dev.repro.alerts;

import java.util.Locale;
import java.util.Optional;

/** Where alerts can be forwarded to. Its {@link #id()} names it in settings, metrics and dead letters. */
public enum TargetKind {

    /** Prometheus Alertmanager, API v2 ({@code POST <url>/api/v2/alerts}). */
    ALERTMANAGER,
    /** Any HTTP endpoint taking the alert's contract JSON, optionally HMAC-signed. */
    WEBHOOK,
    /** The PagerDuty Events API v2. */
    PAGERDUTY;

    /** The lowercase name used in settings and metric labels, e.g. {@code alertmanager}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code id} (case-insensitive), if there is one. */
    public static Optional<TargetKind> byId(String id) {
        for (TargetKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id.strip())) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
