package dev.repro.serde;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import dev.repro.schema.Alert;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.SliValue;
import dev.repro.schema.TestEvent;

/**
 * Every record of the contract, and the writer schemas this build can decode: each record's
 * current schema and every released version in its {@link SchemaHistory}, by CRC-64-AVRO
 * fingerprint. Immutable; {@link #withWriterSchema} returns a new instance.
 */
public final class ReproSchemas {

    private static final List<Class<? extends SpecificRecord>> RECORD_CLASSES = List.of(
            BuildEvent.class,
            DeploymentEvent.class,
            DesiredState.class,
            RunEvent.class,
            TestEvent.class,
            RejectedEvent.class,
            ArchivedEvent.class,
            RebuildVerdict.class,
            ReplayVerdict.class,
            DriftStatus.class,
            SliValue.class,
            Alert.class);

    private final Map<Class<? extends SpecificRecord>, SchemaHistory> histories;
    private final Map<Long, WriterSchema> writers;

    private record WriterSchema(Class<? extends SpecificRecord> recordClass, Schema schema) {
    }

    private ReproSchemas(Map<Class<? extends SpecificRecord>, SchemaHistory> histories, Map<Long, WriterSchema> writers) {
        this.histories = Map.copyOf(histories);
        this.writers = Map.copyOf(writers);
    }

    /** Every top-level record of the contract (the value types of the topics), in contract order. */
    /**
     * Lets Avro instantiate the contract's generated classes in this JVM (Avro 1.12.2 refuses
     * untrusted classes, the application's own included). Every {@code main} calls this first;
     * {@link AvroSerdes#create()} calls it too. Tests get it from the build's
     * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property.
     */
    public static void trustGeneratedClasses() {
        AvroClassTrust.trustContractClasses();
    }

    public static List<Class<? extends SpecificRecord>> recordClasses() {
        return RECORD_CLASSES;
    }

    /** The schema {@code type} was generated from. */
    public static Schema current(Class<? extends SpecificRecord> type) {
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** CRC-64-AVRO fingerprint of the schema's parsing canonical form, as written after {@code C3 01}. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Current schemas and released history of every contract record, read from the classpath. */
    public static ReproSchemas load() {
        Map<Class<? extends SpecificRecord>, SchemaHistory> histories = new HashMap<>();
        Map<Long, WriterSchema> writers = new HashMap<>();
        for (Class<? extends SpecificRecord> type : RECORD_CLASSES) {
            SchemaHistory history = SchemaHistory.load(type);
            histories.put(type, history);
            for (Schema released : history.versions()) {
                writers.put(fingerprint(released), new WriterSchema(type, released));
            }
            writers.put(fingerprint(current(type)), new WriterSchema(type, current(type)));
        }
        return new ReproSchemas(histories, writers);
    }

    /**
     * A copy that can also decode bytes written with {@code writer}, an extra version of
     * {@code type}'s schema (e.g. one a producer used before it was released).
     */
    public ReproSchemas withWriterSchema(Class<? extends SpecificRecord> type, Schema writer) {
        requireContractRecord(type);
        String expected = current(type).getFullName();
        if (!writer.getFullName().equals(expected)) {
            throw new IllegalArgumentException("writer schema " + writer.getFullName() + " is not a version of " + expected);
        }
        Map<Long, WriterSchema> more = new HashMap<>(writers);
        more.put(fingerprint(writer), new WriterSchema(type, writer));
        return new ReproSchemas(histories, more);
    }

    /** The released versions of {@code type}'s schema. */
    public SchemaHistory history(Class<? extends SpecificRecord> type) {
        requireContractRecord(type);
        return histories.get(type);
    }

    /** Finds every known writer schema by fingerprint; {@code null} for an unknown one, as Avro expects. */
    public SchemaStore schemaStore() {
        return fingerprint -> {
            WriterSchema writer = writers.get(fingerprint);
            return writer == null ? null : writer.schema();
        };
    }

    /** The record class whose current or earlier schema has this fingerprint. */
    public Optional<Class<? extends SpecificRecord>> recordClass(long fingerprint) {
        return Optional.ofNullable(writers.get(fingerprint)).map(WriterSchema::recordClass);
    }

    /** Whether {@code type} is one of {@link #recordClasses()}. */
    public static boolean isContractRecord(Class<?> type) {
        return RECORD_CLASSES.contains(type);
    }

    static void requireContractRecord(Class<?> type) {
        if (!isContractRecord(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a repro contract record; known: "
                    + RECORD_CLASSES.stream().map(Class::getSimpleName).toList());
        }
    }
}
