package dev.repro.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;

import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Avro single-object encoding of one record class: writes with the current schema, reads
 * bytes written with any schema the store knows. Thread-safe (Avro's message codecs are).
 */
final class RecordCodec<T extends SpecificRecord> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    RecordCodec(Class<T> type, SchemaStore writerSchemas) {
        SpecificData model = SpecificData.getForClass(type);
        this.type = type;
        this.encoder = new BinaryMessageEncoder<>(model, ReproSchemas.current(type));
        this.decoder = new BinaryMessageDecoder<>(model, ReproSchemas.current(type), writerSchemas);
    }

    byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            encoder.encode(record, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    /** Decodes bytes whose header was already checked to carry a known fingerprint of this type. */
    T decode(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        T record;
        try {
            record = decoder.decode(in, null);
        } catch (IOException | RuntimeException e) {
            if (hasCause(e, EOFException.class)) {
                throw new RecordDecodingException("truncated body: the " + type.getSimpleName() + " record ends early ("
                        + (bytes.length - SingleObjectHeader.LENGTH) + " body bytes)", e);
            }
            throw new RecordDecodingException("corrupt " + type.getSimpleName() + " body: " + rootMessage(e), e);
        }
        if (in.available() > 0) {
            throw new RecordDecodingException("corrupt " + type.getSimpleName() + " body: " + in.available()
                    + " unexpected bytes after the record");
        }
        return record;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> causeType) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (causeType.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
