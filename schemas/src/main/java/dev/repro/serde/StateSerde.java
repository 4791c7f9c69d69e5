package dev.repro.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes for the stream apps' own state values (not contract records): a layout version, then
 * whatever the value's writer puts in a {@link DataOutputStream}. A value of another layout
 * version, or truncated bytes, fails with a {@link SerializationException} naming the type.
 */
public final class StateSerde {

    /** Writes one value's fields. */
    public interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    /** Reads one value's fields, in the order its writer wrote them. */
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private StateSerde() {
    }

    /** A serde of {@code type} values in layout {@code version}; null stays null (a tombstone). */
    public static <T> Serde<T> of(Class<T> type, int version, Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(version);
                writer.write(value, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }, (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                int found = in.readInt();
                if (found != version) {
                    throw new SerializationException(type.getSimpleName() + " state: unknown layout version " + found);
                }
                return reader.read(in);
            } catch (IOException e) {
                throw new SerializationException(type.getSimpleName() + " state: truncated or corrupt (" + e + ")", e);
            }
        });
    }
}
