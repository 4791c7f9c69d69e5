package dev.repro.ingest.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An RFC 9457 problem: {@code application/problem+json} with a type URI per rule family, the
 * HTTP status, a short title, a detail that names the field and the rule, and the field itself.
 */
public record Problem(int status, String type, String title, String detail, String field, String rule) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String BASE = "https://repro.dev/problems/";

    public static Problem invalid(String field, String rule) {
        return new Problem(400, BASE + "invalid-event", "Invalid event", field + ": " + rule, field, rule);
    }

    public static Problem malformed(String detail) {
        return new Problem(400, BASE + "malformed-body", "Malformed body", detail, null, null);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, BASE + "unauthorized", "Authentication required", detail, null, null);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, BASE + "forbidden", "Credentials refused", detail, null, null);
    }

    public static Problem notFound(String path) {
        return new Problem(404, BASE + "not-found", "Not found", "no resource at " + path, null, null);
    }

    public static Problem methodNotAllowed(String method, String allowed) {
        return new Problem(405, BASE + "method-not-allowed", "Method not allowed",
                method + " is not allowed here; use " + allowed, null, null);
    }

    public static Problem tooLarge(long limit) {
        return new Problem(413, BASE + "body-too-large", "Body too large",
                "the body is over the limit of " + limit + " bytes (REPRO_INGEST_MAX_BODY_BYTES)", null, null);
    }

    public static Problem unsupportedMediaType(String got, String accepted) {
        return new Problem(415, BASE + "unsupported-media-type", "Unsupported media type",
                "Content-Type " + (got == null ? "(none)" : "'" + got + "'") + " is not accepted; use " + accepted, null, null);
    }

    public static Problem unavailable(String detail) {
        return new Problem(503, BASE + "kafka-unavailable", "Kafka unavailable", detail, null, null);
    }

    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", type);
        node.put("title", title);
        node.put("status", status);
        node.put("detail", detail);
        if (field != null) {
            node.put("field", field);
        }
        if (rule != null) {
            node.put("rule", rule);
        }
        return node;
    }
}
