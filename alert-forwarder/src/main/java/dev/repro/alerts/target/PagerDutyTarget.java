package dev.repro.alerts.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.alerts.Routing;
import dev.repro.alerts.TargetKind;
import dev.repro.schema.Alert;
import dev.repro.schema.Severity;
import dev.repro.serde.RecordJson;

/**
 * PagerDuty Events API v2: a FIRING change routed here is a {@code trigger}, anything else that
 * reaches PagerDuty (a RESOLVED, or a downgrade to a severity not routed here) a {@code resolve}.
 * {@code dedup_key} is the alert's dedupe key, so PagerDuty folds every change of one problem into
 * one incident, and repeated deliveries change nothing. PAGE is {@code critical}, TICKET
 * {@code warning}; {@code custom_details} carries the evidence; {@code links} the runbook.
 */
public final class PagerDutyTarget implements AlertTarget {

    /** PagerDuty's limits on {@code dedup_key} and {@code payload.summary}. */
    static final int MAX_DEDUP_KEY = 255;
    static final int MAX_SUMMARY = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ForwarderSettings.PagerDuty settings;
    private final Routing routing;
    private final RunbookLinks runbooks;
    private final RecordJson recordJson;

    public PagerDutyTarget(ForwarderSettings.PagerDuty settings, Routing routing, RunbookLinks runbooks,
            RecordJson recordJson) {
        this.settings = settings;
        this.routing = routing;
        this.runbooks = runbooks;
        this.recordJson = recordJson;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.PAGERDUTY;
    }

    @Override
    public OutboundRequest request(Change change, Instant now) {
        Alert alert = change.alert();
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", settings.routingKey().reveal());
        event.put("dedup_key", dedupKey(alert.getKey()));
        if (routing.openAt(TargetKind.PAGERDUTY, alert)) {
            event.put("event_action", "trigger");
            event.set("payload", payload(alert));
            runbooks.link(alert.getRunbook()).ifPresent(link ->
                    event.putArray("links").addObject().put("href", link.toString()).put("text", "Runbook"));
            event.put("client", "repro alert-forwarder");
        } else {
            event.put("event_action", "resolve");
        }
        try {
            return new OutboundRequest(settings.url(), Map.of(), JSON.writeValueAsBytes(event));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert key, or {@code sha256:<hex>} of it when it is longer than PagerDuty allows. */
    static String dedupKey(String key) {
        if (key.length() <= MAX_DEDUP_KEY) {
            return key;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private ObjectNode payload(Alert alert) {
        ObjectNode payload = JSON.createObjectNode();
        String summary = alert.getSummary();
        payload.put("summary", summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 1) + "…");
        payload.put("source", alert.getScope().isBlank() ? "repro" : alert.getScope());
        payload.put("severity", alert.getSeverity() == Severity.PAGE ? "critical" : "warning");
        payload.put("timestamp", alert.getAsOf().toString());
        payload.put("class", alert.getKind().name());
        String service = alert.getLabels().get("service");
        if (service != null && !service.isBlank()) {
            payload.put("component", service);
        }
        String team = alert.getLabels().get("team");
        if (team != null && !team.isBlank()) {
            payload.put("group", team);
        }
        ObjectNode details = payload.putObject("custom_details");
        details.put("key", alert.getKey());
        details.put("kind", alert.getKind().name());
        details.put("severity", alert.getSeverity().name());
        details.put("scope", alert.getScope());
        details.put("count", alert.getCount());
        details.put("first_seen", alert.getFirstSeen().toString());
        details.put("last_seen", alert.getLastSeen().toString());
        JsonNode json = recordJson.toJson(alert);
        details.set("evidence", json.get("evidence"));
        details.set("labels", json.get("labels"));
        details.put("runbook", runbooks.text(alert.getRunbook()));
        return payload;
    }
}
