package dev.repro.alerts.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.alerts.Routing;
import dev.repro.alerts.TargetKind;
import dev.repro.schema.Alert;
import dev.repro.serde.RecordJson;

/**
 * Alertmanager API v2: each change is {@code POST <url>/api/v2/alerts} with a JSON array of
 * postable alerts. Alertmanager identifies an alert by its label set, so the labels are stable per
 * key: {@code alertname} = kind, {@value #KEY_LABEL} = the dedupe key, {@code severity}
 * ({@code page}|{@code ticket}), {@code scope}, plus the alert's routing labels (team, service…).
 * Everything else is an annotation. {@code startsAt} is {@code first_seen}.
 *
 * <p>A FIRING alert ends {@link ForwarderSettings.Alertmanager#firingHorizon()} after it is sent,
 * and the forwarder sends every open alert again each resend interval ({@link #keepalive}), so an
 * alert stays active while it fires and expires on its own if the forwarder goes away. A RESOLVED
 * alert ends at its event time ({@code as_of}, never later than now). When a change moves the
 * alert to another label set (its severity or routing labels changed) or to a severity that is not
 * routed here, the label set held open before is resolved in the same request.
 */
public final class AlertmanagerTarget implements AlertTarget {

    /** The label carrying the alert's dedupe key. */
    public static final String KEY_LABEL = "dedupe_key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern NOT_LABEL_CHARACTER = Pattern.compile("[^a-zA-Z0-9_]");

    private final URI endpoint;
    private final Duration horizon;
    private final Routing routing;
    private final RunbookLinks runbooks;
    private final RecordJson recordJson;

    public AlertmanagerTarget(ForwarderSettings.Alertmanager settings, Routing routing, RunbookLinks runbooks,
            RecordJson recordJson) {
        String base = settings.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "api/v2/alerts");
        this.horizon = settings.firingHorizon();
        this.routing = routing;
        this.runbooks = runbooks;
        this.recordJson = recordJson;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.ALERTMANAGER;
    }

    @Override
    public OutboundRequest request(Change change, Instant now) {
        Alert current = change.alert();
        Alert previous = change.previous();
        boolean wasOpen = routing.openAt(TargetKind.ALERTMANAGER, previous);
        Instant ended = current.getAsOf().isAfter(now) ? now : current.getAsOf();
        ArrayNode alerts = JSON.createArrayNode();
        if (routing.openAt(TargetKind.ALERTMANAGER, current)) {
            if (wasOpen && !labels(previous).equals(labels(current))) {
                alerts.add(postable(previous, current, ended));
            }
            alerts.add(postable(current, current, now.plus(horizon)));
        } else {
            alerts.add(postable(wasOpen ? previous : current, current, ended));
        }
        return post(alerts);
    }

    /** Sends every alert of {@code open} again as FIRING, ending a horizon after {@code now}. */
    public OutboundRequest keepalive(Collection<Alert> open, Instant now) {
        ArrayNode alerts = JSON.createArrayNode();
        open.forEach(alert -> alerts.add(postable(alert, alert, now.plus(horizon))));
        return post(alerts);
    }

    /**
     * The label set of {@code alert}: its routing labels with names made valid for Prometheus
     * ({@code [a-zA-Z_][a-zA-Z0-9_]*}, other characters become {@code _}; empty values dropped),
     * then {@code alertname}, {@value #KEY_LABEL}, {@code severity} and {@code scope} (when not blank), which win
     * over a routing label of the same name.
     */
    public static Map<String, String> labels(Alert alert) {
        Map<String, String> labels = new TreeMap<>();
        alert.getLabels().forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                labels.put(labelName(name), value);
            }
        });
        labels.put("alertname", alert.getKind().name());
        labels.put(KEY_LABEL, alert.getKey());
        labels.put("severity", alert.getSeverity().name().toLowerCase(Locale.ROOT));
        if (!alert.getScope().isBlank()) {
            labels.put("scope", alert.getScope());
        }
        return labels;
    }

    private ObjectNode postable(Alert identity, Alert content, Instant endsAt) {
        ObjectNode alert = JSON.createObjectNode();
        ObjectNode labels = alert.putObject("labels");
        labels(identity).forEach(labels::put);
        ObjectNode annotations = alert.putObject("annotations");
        annotations.put("summary", content.getSummary());
        annotations.put("description", description(content));
        annotations.put("runbook_url", runbooks.text(content.getRunbook()));
        annotations.put("evidence", recordJson.toJson(content).get("evidence").toString());
        annotations.put("count", Integer.toString(content.getCount()));
        annotations.put("first_seen", content.getFirstSeen().toString());
        annotations.put("last_seen", content.getLastSeen().toString());
        Instant startsAt = identity.getFirstSeen().isAfter(endsAt) ? endsAt : identity.getFirstSeen();
        alert.put("startsAt", startsAt.toString());
        alert.put("endsAt", endsAt.toString());
        return alert;
    }

    private static String description(Alert alert) {
        if (alert.getEvidence().isEmpty()) {
            return alert.getSummary();
        }
        return alert.getEvidence().stream().map(e -> e.getKind() + " " + e.getKey() + ": " + e.getSummary())
                .collect(Collectors.joining("\n"));
    }

    private static String labelName(String name) {
        if (LABEL_NAME.matcher(name).matches()) {
            return name;
        }
        String replaced = NOT_LABEL_CHARACTER.matcher(name).replaceAll("_");
        return replaced.isEmpty() || Character.isDigit(replaced.charAt(0)) ? "_" + replaced : replaced;
    }

    private OutboundRequest post(ArrayNode alerts) {
        try {
            return new OutboundRequest(endpoint, Map.of(), JSON.writeValueAsBytes(alerts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
