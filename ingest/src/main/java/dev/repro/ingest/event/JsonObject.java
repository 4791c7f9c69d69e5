package dev.repro.ingest.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed, path-aware access to the members of one JSON object. A member that is absent or
 * {@code null} is "absent"; a required member that is absent gives {@code missing-field}, a member
 * of the wrong JSON type gives {@code wrong-type}, and every error names the member's JSON path.
 * Members the reader does not ask for are ignored (unknown fields are allowed).
 */
final class JsonObject {

    private final ObjectNode node;
    private final String path;
    private final Limits limits;

    private JsonObject(ObjectNode node, String path, Limits limits) {
        this.node = node;
        this.path = path;
        this.limits = limits;
    }

    /** Wraps {@code value}, which must be a JSON object. */
    static JsonObject of(JsonNode value, String path, Limits limits) {
        if (value == null || !value.isObject()) {
            throw new InvalidEventException(JsonPaths.shown(path), "must be a JSON object", "wrong-type");
        }
        return new JsonObject((ObjectNode) value, path, limits);
    }

    ObjectNode node() {
        return node;
    }

    String path() {
        return path;
    }

    String path(String name) {
        return JsonPaths.member(path, name);
    }

    boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    JsonNode raw(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    // ---- strings

    String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    /** A non-empty string, or {@code null} when absent. */
    String optionalString(String name) {
        return optionalString(name, limits.maxStringLength());
    }

    /** A required non-empty string of at most {@code maxLength} characters (base64 payloads). */
    String requiredString(String name, int maxLength) {
        String value = optionalString(name, maxLength);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    private String optionalString(String name, int maxLength) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(path(name), "must be a string", "wrong-type");
        }
        String text = value.textValue();
        if (text.isBlank()) {
            throw new InvalidEventException(path(name), "must not be empty", "empty");
        }
        if (text.length() > maxLength) {
            throw new InvalidEventException(path(name),
                    "must be at most " + maxLength + " characters long (was " + text.length() + ")", "too-long");
        }
        return text;
    }

    String requiredDigest(String name) {
        return FieldRules.digest(requiredString(name), () -> path(name));
    }

    String optionalDigest(String name) {
        String value = optionalString(name);
        return value == null ? null : FieldRules.digest(value, () -> path(name));
    }

    String requiredCommit(String name) {
        return FieldRules.commit(requiredString(name), () -> path(name));
    }

    Instant requiredTime(String name) {
        return FieldRules.time(requiredString(name), () -> path(name));
    }

    Instant optionalTime(String name) {
        String value = optionalString(name);
        return value == null ? null : FieldRules.time(value, () -> path(name));
    }

    String requiredUriReference(String name) {
        return FieldRules.uriReference(requiredString(name), () -> path(name));
    }

    String requiredKeyPart(String name) {
        return FieldRules.keyPart(requiredString(name), () -> path(name));
    }

    String optionalKeyPart(String name) {
        String value = optionalString(name);
        return value == null ? null : FieldRules.keyPart(value, () -> path(name));
    }

    /** A string that must be one of the keys of {@code symbols}; absent gives {@code fallback} (null = required). */
    <E> E enumValue(String name, Map<String, E> symbols, E fallback) {
        String value = fallback == null ? requiredString(name) : optionalString(name);
        if (value == null) {
            return fallback;
        }
        E symbol = symbols.get(value);
        if (symbol == null) {
            throw new InvalidEventException(path(name), "must be one of " + String.join(", ", symbols.keySet()), "enum-value");
        }
        return symbol;
    }

    // ---- other scalars

    Boolean optionalBoolean(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new InvalidEventException(path(name), "must be true or false", "wrong-type");
        }
        return value.booleanValue();
    }

    /** A string, or an integer kept as its exact decimal text; {@code null} when absent. */
    String optionalStringOrInteger(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isTextual()) {
            return optionalString(name);
        }
        throw new InvalidEventException(path(name), "must be a string or an integer", "wrong-type");
    }

    // ---- containers

    JsonObject requiredObject(String name) {
        JsonObject value = optionalObject(name);
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    JsonObject optionalObject(String name) {
        JsonNode value = raw(name);
        return value == null ? null : of(value, path(name), limits);
    }

    /** The items of a required array, each mapped with {@code item} (which gets the item's JSON object). */
    <T> List<T> requiredArray(String name, Function<JsonObject, T> item) {
        if (!has(name)) {
            throw missing(name);
        }
        return optionalArray(name, item);
    }

    /** The items of an optional array (empty when absent), each a JSON object mapped with {@code item}. */
    <T> List<T> optionalArray(String name, Function<JsonObject, T> item) {
        JsonNode value = raw(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new InvalidEventException(path(name), "must be an array", "wrong-type");
        }
        List<T> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            items.add(item.apply(of(value.get(i), JsonPaths.item(path(name), i), limits)));
        }
        return items;
    }

    /** A JSON object of strings (labels, environment); empty when absent. */
    Map<String, String> stringMap(String name) {
        JsonNode value = raw(name);
        Map<String, String> map = new TreeMap<>();
        if (value == null) {
            return map;
        }
        JsonObject object = of(value, path(name), limits);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String entryPath = object.path(entry.getKey());
            if (entry.getKey().isEmpty()) {
                throw new InvalidEventException(entryPath, "keys must not be empty", "empty");
            }
            if (!entry.getValue().isTextual()) {
                throw new InvalidEventException(entryPath, "must be a string", "wrong-type");
            }
            String text = entry.getValue().textValue();
            if (text.length() > limits.maxStringLength() || entry.getKey().length() > limits.maxStringLength()) {
                throw new InvalidEventException(entryPath, "must be at most " + limits.maxStringLength() + " characters long",
                        "too-long");
            }
            map.put(entry.getKey(), text);
        }
        return map;
    }

    /** A JSON object of finite numbers (metrics, tolerance); empty when absent. */
    Map<String, Double> numberMap(String name, boolean nonNegative) {
        JsonNode value = raw(name);
        Map<String, Double> map = new TreeMap<>();
        if (value == null) {
            return map;
        }
        JsonObject object = of(value, path(name), limits);
        for (Iterator<Map.Entry<String, JsonNode>> it = object.node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String entryPath = object.path(entry.getKey());
            if (entry.getKey().isEmpty()) {
                throw new InvalidEventException(entryPath, "keys must not be empty", "empty");
            }
            if (!entry.getValue().isNumber()) {
                throw new InvalidEventException(entryPath, "must be a number", "wrong-type");
            }
            double number = toDouble(entry.getValue());
            if (!Double.isFinite(number)) {
                throw new InvalidEventException(entryPath, "must be a finite number (fits a 64-bit float)", "number-range");
            }
            if (nonNegative && number < 0) {
                throw new InvalidEventException(entryPath, "must not be negative (an absolute delta)", "number-range");
            }
            map.put(entry.getKey(), number);
        }
        return map;
    }

    static double toDouble(JsonNode number) {
        // Through the decimal text: Double.parseDouble rounds correctly, BigDecimal.doubleValue did not always.
        BigDecimal exact = number.isBigDecimal() ? number.decimalValue() : new BigDecimal(number.bigIntegerValue());
        return Double.parseDouble(exact.toString());
    }

    InvalidEventException missing(String name) {
        return new InvalidEventException(path(name), "is required", "missing-field");
    }
}
