package dev.repro.serde;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Avro single-object encoding of one record class: writes with the current schema, reads
 * bytes written with any schema the store knows. Thread-safe.
 *
 * <p>The bytes are those of Avro's {@code BinaryMessageEncoder} ({@code C3 01}, the schema's
 * fingerprint, the binary body), but the body is read and written through Avro's buffered
 * binary decoder and encoder over the byte array: Avro's message codecs go through an
 * {@code InputStream} a byte at a time, which made decoding a large part of each stream app's
 * work per record.
 */
final class RecordCodec<T extends SpecificRecord> {

    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();
    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    private final Class<T> type;
    private final SpecificData model;
    private final Schema current;
    private final byte[] header;
    private final DatumWriter<T> writer;
    private final SchemaStore writerSchemas;
    /** A reader per writer schema seen, by fingerprint, resolving it to the current schema. */
    private final Map<Long, DatumReader<T>> readers = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    RecordCodec(Class<T> type, SchemaStore writerSchemas) {
        this.type = type;
        this.model = SpecificData.getForClass(type);
        this.current = ReproSchemas.current(type);
        this.header = SingleObjectHeader.of(ReproSchemas.fingerprint(current));
        this.writer = (DatumWriter<T>) model.createDatumWriter(current);
        this.writerSchemas = writerSchemas;
    }

    byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(header);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
            ENCODERS.set(encoder);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    /** Decodes bytes whose header was already checked to carry {@code fingerprint}, a known one of this type. */
    T decode(byte[] bytes, long fingerprint) {
        DatumReader<T> reader = readers.computeIfAbsent(fingerprint, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, SingleObjectHeader.LENGTH,
                bytes.length - SingleObjectHeader.LENGTH, DECODERS.get());
        DECODERS.set(decoder);
        T record;
        int unread;
        try {
            record = reader.read(null, decoder);
            unread = decoder.inputStream().available();
        } catch (IOException | RuntimeException e) {
            if (hasCause(e, EOFException.class)) {
                throw new RecordDecodingException("truncated body: the " + type.getSimpleName() + " record ends early ("
                        + (bytes.length - SingleObjectHeader.LENGTH) + " body bytes)", e);
            }
            throw new RecordDecodingException("corrupt " + type.getSimpleName() + " body: " + rootMessage(e), e);
        }
        if (unread > 0) {
            throw new RecordDecodingException("corrupt " + type.getSimpleName() + " body: " + unread
                    + " unexpected bytes after the record");
        }
        return record;
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> readerFor(long fingerprint) {
        Schema written = writerSchemas.findByFingerprint(fingerprint);
        if (written == null) {
            throw new RecordDecodingException("unknown schema fingerprint " + SingleObjectHeader.hex(fingerprint)
                    + ": not the current or a released schema of " + type.getSimpleName());
        }
        return (DatumReader<T>) model.createDatumReader(written, current);
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
