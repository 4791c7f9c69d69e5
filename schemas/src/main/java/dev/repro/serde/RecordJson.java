package dev.repro.serde;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Contract records as natural JSON, for {@code repro tail} and the HTTP query APIs: field names
 * as in the schema, unions unwrapped (the value or {@code null}, not Avro's
 * {@code {"string": …}}), enums as their symbol, maps as objects (keys sorted), bytes as
 * standard base64 strings, timestamps as epoch-millisecond numbers (what Avro stores).
 * Immutable and thread-safe.
 */
public final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final AvroSerdes serdes;

    public RecordJson(AvroSerdes serdes) {
        this.serdes = serdes;
    }

    /** Reads every schema released with this build. */
    public static RecordJson create() {
        return new RecordJson(AvroSerdes.create());
    }

    /**
     * The record encoded in {@code bytes}, whatever its type, as JSON.
     *
     * @throws RecordDecodingException when the bytes are not a record in a known schema
     */
    public JsonNode toJson(byte[] bytes) {
        return toJson(serdes.deserializeAny(bytes));
    }

    /** The record as JSON; a JSON {@code null} for {@code null}. */
    public JsonNode toJson(IndexedRecord record) {
        if (record == null) {
            return NODES.nullNode();
        }
        return value(record.getSchema(), record);
    }

    /**
     * Simple name of the record type that wrote {@code bytes} (e.g. {@code BuildEvent}), from its fingerprint.
     *
     * @throws RecordDecodingException on a bad header or an unknown fingerprint
     */
    public String recordType(byte[] bytes) {
        return serdes.recordClass(bytes).getSimpleName();
    }

    private JsonNode value(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        return switch (schema.getType()) {
            case NULL -> NODES.nullNode();
            case UNION -> value(branch(schema, value), value);
            case RECORD -> record((IndexedRecord) value);
            case ARRAY -> array(schema.getElementType(), (Collection<?>) value);
            case MAP -> map(schema.getValueType(), (Map<?, ?>) value);
            case ENUM, STRING -> NODES.textNode(value.toString());
            case BYTES -> NODES.textNode(base64((ByteBuffer) value));
            case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
            case INT -> NODES.numberNode(((Number) value).intValue());
            case LONG -> NODES.numberNode(value instanceof Instant instant ? epoch(schema, instant) : ((Number) value).longValue());
            case FLOAT -> NODES.numberNode(((Number) value).floatValue());
            case DOUBLE -> NODES.numberNode(((Number) value).doubleValue());
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
        };
    }

    private ObjectNode record(IndexedRecord record) {
        ObjectNode node = NODES.objectNode();
        for (Schema.Field field : record.getSchema().getFields()) {
            node.set(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return node;
    }

    private ArrayNode array(Schema elementType, Collection<?> elements) {
        ArrayNode node = NODES.arrayNode(elements.size());
        for (Object element : elements) {
            node.add(value(elementType, element));
        }
        return node;
    }

    private ObjectNode map(Schema valueType, Map<?, ?> entries) {
        Map<String, Object> sorted = new TreeMap<>();
        entries.forEach((key, entry) -> sorted.put(key.toString(), entry));
        ObjectNode node = NODES.objectNode();
        sorted.forEach((key, entry) -> node.set(key, value(valueType, entry)));
        return node;
    }

    private static Schema branch(Schema union, Object value) {
        List<Schema> nonNull = union.getTypes().stream().filter(type -> type.getType() != Schema.Type.NULL).toList();
        if (nonNull.size() == 1) {
            return nonNull.get(0);
        }
        return union.getTypes().get(GenericData.get().resolveUnion(union, value));
    }

    private static long epoch(Schema schema, Instant instant) {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
            return TimeUnit.SECONDS.toMicros(instant.getEpochSecond()) + TimeUnit.NANOSECONDS.toMicros(instant.getNano());
        }
        return instant.toEpochMilli();
    }

    private static String base64(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate();
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return Base64.getEncoder().encodeToString(copy);
    }
}
