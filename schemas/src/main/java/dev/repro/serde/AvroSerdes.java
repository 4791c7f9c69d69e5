package dev.repro.serde;

import java.util.HashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serializers for the contract records in Avro single-object encoding ({@code C3 01},
 * 8-byte CRC-64-AVRO fingerprint, body). Create one at start-up and pass it around; it is
 * immutable and thread-safe.
 *
 * <p>Writes use the current schema. Reads accept any writer schema in {@link ReproSchemas}
 * (current or released history) and resolve it to the current class. Bytes that cannot be
 * read throw {@link RecordDecodingException} from {@code deserialize}, so a Kafka Streams
 * deserialization exception handler can dead-letter them. {@code null} maps to {@code null}
 * both ways (tombstones).
 */
public final class AvroSerdes {

    private final ReproSchemas schemas;
    private final Map<Class<? extends SpecificRecord>, RecordCodec<?>> codecs;

    private AvroSerdes(ReproSchemas schemas) {
        AvroClassTrust.trustContractClasses();
        this.schemas = schemas;
        Map<Class<? extends SpecificRecord>, RecordCodec<?>> byType = new HashMap<>();
        for (Class<? extends SpecificRecord> type : ReproSchemas.recordClasses()) {
            byType.put(type, new RecordCodec<>(type, schemas.schemaStore()));
        }
        this.codecs = Map.copyOf(byType);
    }

    /** Serdes reading every schema released with this build. */
    public static AvroSerdes create() {
        return create(ReproSchemas.load());
    }

    /** Serdes reading the writer schemas of {@code schemas}. */
    public static AvroSerdes create(ReproSchemas schemas) {
        return new AvroSerdes(schemas);
    }

    /** The schemas these serdes write and read. */
    public ReproSchemas schemas() {
        return schemas;
    }

    /** A Kafka serde for one contract record class. */
    public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        ReproSchemas.requireContractRecord(type);
        return Serdes.serdeFrom((topic, record) -> serialize(record), (topic, bytes) -> deserialize(type, bytes));
    }

    /**
     * A Kafka serde for one contract record class that keeps, with each record read, the bytes it
     * was read from ({@link Encoded}); writing an {@code Encoded} writes those bytes unchanged.
     * Bytes that cannot be read throw as {@link #deserialize} does.
     */
    public <T extends SpecificRecord> Serde<Encoded<T>> encodedSerde(Class<T> type) {
        ReproSchemas.requireContractRecord(type);
        return Serdes.serdeFrom((topic, encoded) -> encoded == null ? null : encoded.bytes(),
                (topic, bytes) -> bytes == null ? null : new Encoded<>(deserialize(type, bytes), bytes));
    }

    /**
     * The record in single-object encoding; {@code null} for {@code null}.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when the record cannot be
     *         encoded (e.g. a required field is {@code null})
     */
    public <T extends SpecificRecord> byte[] serialize(T record) {
        if (record == null) {
            return null;
        }
        return codec(classOf(record)).encode(record);
    }

    /**
     * The record of class {@code type} encoded in {@code bytes}; {@code null} for {@code null}.
     *
     * @throws RecordDecodingException when the bytes are not a {@code type} record in a known schema
     */
    public <T extends SpecificRecord> T deserialize(Class<T> type, byte[] bytes) {
        ReproSchemas.requireContractRecord(type);
        if (bytes == null) {
            return null;
        }
        long fingerprint = SingleObjectHeader.fingerprint(bytes);
        Class<? extends SpecificRecord> written = recordClass(fingerprint);
        if (!written.equals(type)) {
            throw new RecordDecodingException("wrong record type: schema fingerprint "
                    + SingleObjectHeader.hex(fingerprint) + " is a " + written.getSimpleName()
                    + ", expected a " + type.getSimpleName());
        }
        return codec(type).decode(bytes, fingerprint);
    }

    /**
     * The record encoded in {@code bytes}, whatever its type (found by fingerprint);
     * {@code null} for {@code null}.
     *
     * @throws RecordDecodingException when the bytes are not a record in a known schema
     */
    public SpecificRecord deserializeAny(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        long fingerprint = SingleObjectHeader.fingerprint(bytes);
        return codec(recordClass(fingerprint)).decode(bytes, fingerprint);
    }

    /**
     * The record class whose schema wrote {@code bytes}, from the single-object header alone.
     *
     * @throws RecordDecodingException on a bad header or an unknown fingerprint
     */
    public Class<? extends SpecificRecord> recordClass(byte[] bytes) {
        return recordClass(SingleObjectHeader.fingerprint(bytes));
    }

    private Class<? extends SpecificRecord> recordClass(long fingerprint) {
        return schemas.recordClass(fingerprint).orElseThrow(() -> new RecordDecodingException(
                "unknown schema fingerprint " + SingleObjectHeader.hex(fingerprint)
                        + ": not the current or a released schema of any repro record"));
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> RecordCodec<T> codec(Class<T> type) {
        ReproSchemas.requireContractRecord(type);
        return (RecordCodec<T>) codecs.get(type);
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Class<T> classOf(T record) {
        return (Class<T>) record.getClass();
    }
}
