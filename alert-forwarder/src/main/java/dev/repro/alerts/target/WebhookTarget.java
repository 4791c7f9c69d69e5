package dev.repro.alerts.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.alerts.ForwarderSettings;
import dev.repro.alerts.TargetKind;
import dev.repro.serde.RecordJson;

/**
 * A generic JSON webhook: {@code {"alert": <the Alert's contract JSON>, "delivery": {"id", "key",
 * "topic", "partition", "offset", "record_timestamp"}}}. {@code delivery.id} (also in the
 * {@code Idempotency-Key} and {@code X-Repro-Delivery} headers) is the same for every attempt and
 * re-delivery of one record, so a receiver drops repeats by it; {@code alert.key} is the dedupe key
 * of the problem. The body is the same bytes on every attempt; with a secret it is signed in
 * {@value WebhookSignature#HEADER}.
 */
public final class WebhookTarget implements AlertTarget {

    public static final String DELIVERY_HEADER = "X-Repro-Delivery";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ForwarderSettings.Webhook settings;
    private final RecordJson recordJson;

    public WebhookTarget(ForwarderSettings.Webhook settings, RecordJson recordJson) {
        this.settings = settings;
        this.recordJson = recordJson;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.WEBHOOK;
    }

    @Override
    public OutboundRequest request(Change change, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        body.set("alert", recordJson.toJson(change.alert()));
        ObjectNode delivery = body.putObject("delivery");
        delivery.put("id", change.deliveryId());
        delivery.put("key", change.alert().getKey());
        delivery.put("topic", change.origin().topic());
        delivery.put("partition", change.origin().partition());
        delivery.put("offset", change.origin().offset());
        delivery.put("record_timestamp", change.origin().timestamp());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(DELIVERY_HEADER, change.deliveryId());
        headers.put(IDEMPOTENCY_HEADER, change.deliveryId());
        settings.hmacSecret().ifPresent(secret -> headers.put(WebhookSignature.HEADER, WebhookSignature.sign(secret, bytes)));
        return new OutboundRequest(settings.url(), headers, bytes);
    }
}
