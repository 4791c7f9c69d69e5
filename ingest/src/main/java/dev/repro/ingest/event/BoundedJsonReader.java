package dev.repro.ingest.event;

import java.io.IOException;
import java.math.BigInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one JSON document into a Jackson tree while enforcing {@link Limits}: nesting depth is
 * checked before descending (so recursion is bounded by {@code maxDepth} and a body of a million
 * {@code [} cannot exhaust the stack), strings, numbers, arrays and objects are bounded, duplicate
 * keys and trailing data are refused. Every failure names the JSON path where it happened.
 */
final class BoundedJsonReader {

    private final Limits limits;
    private final JsonFactory factory;
    private final JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);

    /** How long strings may be: {@code max}, except the one at {@code longPath}, which may be {@code longMax}. */
    private record StringLimit(int max, String longPath, int longMax) {

        int at(String path) {
            return path.equals(longPath) ? Math.max(max, longMax) : max;
        }
    }

    BoundedJsonReader(Limits limits) {
        this.limits = limits;
        // Jackson's own constraints are a backstop just above ours, so ours report first with a path.
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth() + 1)
                        .maxNumberLength(Math.max(1000, limits.maxNumberLength() + 1))
                        .maxStringLength(Math.max(limits.maxStringLength(), limits.maxEmbeddedDocumentBytes()) * 2 + 16)
                        .build())
                .build();
    }

    /**
     * Parses {@code bytes} as one JSON value.
     *
     * @param prefix          path of the document inside the request ({@code ""} for the body)
     * @param maxStringLength longest string allowed in this document
     */
    JsonNode read(byte[] bytes, String prefix, int maxStringLength) {
        return read(bytes, prefix, maxStringLength, null, 0);
    }

    /**
     * Parses {@code bytes} as one JSON value, letting the string at {@code longPath} (a base64
     * payload such as {@code data_base64}) be up to {@code longMax} characters.
     */
    JsonNode read(byte[] bytes, String prefix, int maxStringLength, String longPath, int longMax) {
        StringLimit strings = new StringLimit(maxStringLength, longPath, longMax);
        try (JsonParser parser = factory.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidEventException(JsonPaths.shown(prefix), "must be a JSON document, found nothing", "malformed-json");
            }
            JsonNode value = readValue(parser, first, prefix, 1, strings);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new InvalidEventException(JsonPaths.shown(prefix),
                        "must hold exactly one JSON value, found more data at " + where(parser.currentTokenLocation()),
                        "malformed-json");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(JsonPaths.shown(prefix),
                    "is not well-formed JSON (" + e.getOriginalMessage() + " at " + where(e.getLocation()) + ")",
                    "malformed-json");
        } catch (IOException e) {
            // Bad UTF-8 and similar: Jackson reports them as plain IOExceptions (CharConversionException).
            throw new InvalidEventException(JsonPaths.shown(prefix), "is not well-formed UTF-8 JSON (" + e.getMessage() + ")",
                    "malformed-json");
        }
    }

    private JsonNode readValue(JsonParser parser, JsonToken token, String path, int depth, StringLimit strings)
            throws IOException {
        switch (token) {
            case START_OBJECT:
                return readObject(parser, path, depth, strings);
            case START_ARRAY:
                return readArray(parser, path, depth, strings);
            case VALUE_STRING: {
                String text = parser.getText();
                checkString(text, path, strings.at(path));
                return nodes.textNode(text);
            }
            case VALUE_NUMBER_INT: {
                checkNumber(parser, path);
                BigInteger value = parser.getBigIntegerValue();
                return nodes.numberNode(value);
            }
            case VALUE_NUMBER_FLOAT:
                checkNumber(parser, path);
                return nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new InvalidEventException(JsonPaths.shown(path), "unexpected JSON token " + token, "malformed-json");
        }
    }

    private ObjectNode readObject(JsonParser parser, String path, int depth, StringLimit strings) throws IOException {
        checkDepth(path, depth);
        ObjectNode object = nodes.objectNode();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String childPath = JsonPaths.member(path, name);
            checkString(name, childPath, strings.max());
            if (object.size() >= limits.maxMapEntries()) {
                throw new InvalidEventException(JsonPaths.shown(path),
                        "must have at most " + limits.maxMapEntries() + " members", "too-many-entries");
            }
            if (object.has(name)) {
                throw new InvalidEventException(childPath, "must not appear twice in the same object", "duplicate-key");
            }
            JsonToken valueToken = parser.nextToken();
            if (valueToken == null) {
                throw new InvalidEventException(JsonPaths.shown(path), "is not well-formed JSON (unexpected end of input)",
                        "malformed-json");
            }
            object.set(name, readValue(parser, valueToken, childPath, depth + 1, strings));
        }
        if (token != JsonToken.END_OBJECT) {
            throw new InvalidEventException(JsonPaths.shown(path), "is not well-formed JSON (unterminated object)", "malformed-json");
        }
        return object;
    }

    private ArrayNode readArray(JsonParser parser, String path, int depth, StringLimit strings) throws IOException {
        checkDepth(path, depth);
        ArrayNode array = nodes.arrayNode();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                throw new InvalidEventException(JsonPaths.shown(path), "is not well-formed JSON (unterminated array)", "malformed-json");
            }
            if (array.size() >= limits.maxArrayItems()) {
                throw new InvalidEventException(JsonPaths.shown(path), "must have at most " + limits.maxArrayItems() + " items",
                        "too-many-items");
            }
            array.add(readValue(parser, token, JsonPaths.item(path, array.size()), depth + 1, strings));
        }
        return array;
    }

    private void checkDepth(String path, int depth) {
        if (depth > limits.maxDepth()) {
            throw new InvalidEventException(JsonPaths.shown(path),
                    "nests objects and arrays deeper than " + limits.maxDepth() + " levels", "too-deep");
        }
    }

    private static void checkString(String text, String path, int maxStringLength) {
        if (text.length() > maxStringLength) {
            throw new InvalidEventException(JsonPaths.shown(path),
                    "must be at most " + maxStringLength + " characters long (was " + text.length() + ")", "too-long");
        }
    }

    private void checkNumber(JsonParser parser, String path) throws IOException {
        int length = parser.getTextLength();
        if (length > limits.maxNumberLength()) {
            throw new InvalidEventException(JsonPaths.shown(path),
                    "number literal must be at most " + limits.maxNumberLength() + " characters long", "too-long");
        }
    }

    private static String where(JsonLocation location) {
        if (location == null) {
            return "unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
