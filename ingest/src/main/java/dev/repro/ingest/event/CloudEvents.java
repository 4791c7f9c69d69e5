package dev.repro.ingest.event;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CloudEvents 1.0 HTTP binding around a CDEvent: structured mode (the body is a CloudEvent
 * JSON object whose {@code data} is the CDEvent) and binary mode (the {@code ce-*} headers carry
 * the CloudEvent attributes, the body is the CDEvent). Following the CDEvents CloudEvents binding,
 * the CloudEvent {@code type} must equal the CDEvent's {@code context.type}; the CDEvent's own
 * {@code context.id} and {@code context.source} are the event's identity.
 */
final class CloudEvents {

    static final String STRUCTURED_MEDIA_TYPE = "application/cloudevents+json";
    static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";

    private CloudEvents() {
    }

    /** The media type without parameters, lower case; null when absent. */
    static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    /** Whether a media type is JSON ({@code application/json} or any {@code +json}); absent counts as JSON. */
    static boolean isJson(String mediaType) {
        return mediaType == null || mediaType.equals("application/json") || mediaType.equals("text/json")
                || mediaType.endsWith("+json");
    }

    /** Whether the request uses binary mode: it carries CloudEvents {@code ce-*} headers. */
    static boolean isBinaryMode(Map<String, String> headers) {
        return headers.keySet().stream().anyMatch(name -> name.startsWith("ce-"));
    }

    /** Whether a JSON body (sent without the CloudEvents media type) is a structured CloudEvent anyway. */
    static boolean looksStructured(JsonNode root) {
        return root.isObject() && root.has("specversion") && (root.has("data") || root.has("data_base64"))
                && !root.has("context");
    }

    /** Checks the binary-mode headers; returns the CloudEvent type, which must then equal the CDEvent's. */
    static String checkBinaryHeaders(Map<String, String> headers, String contentType, Limits limits) {
        String specversion = header(headers, "ce-specversion", limits);
        if (!specversion.equals("1.0")) {
            throw new InvalidEventException("ce-specversion", "must be 1.0 (CloudEvents 1.0)", "cloudevents");
        }
        header(headers, "ce-id", limits);
        FieldRules.uriReference(header(headers, "ce-source", limits), "ce-source");
        String type = header(headers, "ce-type", limits);
        cdEventType(type, "ce-type");
        String time = headers.get("ce-time");
        if (time != null) {
            FieldRules.time(time.trim(), "ce-time");
        }
        if (!isJson(mediaType(contentType))) {
            throw new InvalidEventException("content-type",
                    "must be application/json in binary mode: the body is the CDEvent JSON", "cloudevents");
        }
        return type;
    }

    /** Checks a structured-mode CloudEvent; returns its type. The data is read by the caller. */
    static String checkStructured(JsonObject cloudEvent) {
        String specversion = cloudEvent.requiredString("specversion");
        if (!specversion.equals("1.0")) {
            throw new InvalidEventException(cloudEvent.path("specversion"), "must be 1.0 (CloudEvents 1.0)", "cloudevents");
        }
        cloudEvent.requiredString("id");
        cloudEvent.requiredUriReference("source");
        String type = cloudEvent.requiredString("type");
        cdEventType(type, cloudEvent.path("type"));
        cloudEvent.optionalTime("time");
        String dataContentType = cloudEvent.optionalString("datacontenttype");
        if (!isJson(mediaType(dataContentType))) {
            throw new InvalidEventException(cloudEvent.path("datacontenttype"), "must be application/json: the data is a CDEvent",
                    "cloudevents");
        }
        boolean hasData = cloudEvent.has("data");
        boolean hasBase64 = cloudEvent.has("data_base64");
        if (hasData == hasBase64) {
            throw new InvalidEventException(hasData ? cloudEvent.path("data_base64") : cloudEvent.path("data"),
                    hasData ? "must not be given together with data" : "is required: the CDEvent this CloudEvent carries",
                    hasData ? "cloudevents" : "missing-field");
        }
        if (hasData && !cloudEvent.raw("data").isObject()) {
            throw new InvalidEventException(cloudEvent.path("data"), "must be the CDEvent JSON object", "wrong-type");
        }
        return type;
    }

    /** Decodes {@code data_base64} (standard or URL-safe alphabet). */
    static byte[] base64(String text, String path, int maxBytes) {
        byte[] bytes;
        try {
            bytes = text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(path, "must be base64 (RFC 4648)", "base64");
        }
        if (bytes.length > maxBytes) {
            throw new InvalidEventException(path, "must decode to at most " + maxBytes + " bytes", "too-long");
        }
        return bytes;
    }

    /** Checks that the CloudEvent type equals the carried CDEvent's {@code context.type}. */
    static void checkSameType(String cloudEventType, String typePath, DecodedEvent cdEvent, String cdEventTypePath) {
        if (!cloudEventType.equals(cdEvent.type())) {
            throw new InvalidEventException(typePath,
                    "must equal the CDEvent's " + cdEventTypePath + " ('" + cdEvent.type() + "')", "cloudevents");
        }
    }

    private static void cdEventType(String type, String path) {
        if (!CdEventTypes.isCdEventType(type)) {
            throw new InvalidEventException(path,
                    "must be a CDEvent type (dev.cdevents.<subject>.<predicate>.<version>): CloudEvents carry CDEvents here",
                    "unknown-type");
        }
    }

    private static String header(Map<String, String> headers, String name, Limits limits) {
        String value = headers.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(name, "header is required in CloudEvents binary mode", "missing-field");
        }
        if (value.length() > limits.maxStringLength()) {
            throw new InvalidEventException(name, "must be at most " + limits.maxStringLength() + " characters long", "too-long");
        }
        return value.trim();
    }
}
