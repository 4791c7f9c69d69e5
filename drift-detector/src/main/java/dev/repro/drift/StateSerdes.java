package dev.repro.drift;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DriftStatus;
import dev.repro.serde.AvroSerdes;

/**
 * Serde of the drift detector's state store values (and so of their changelog topic). Events and
 * published statuses are kept in their contract encoding (Avro single-object, so an older writer
 * schema still reads after an upgrade); the structure around them is a small versioned binary layout.
 */
final class StateSerdes {

    /** Layout 2 adds the filed end of grace after {@code lastDigestChange}; layout 1 is still read. */
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_FILED_GRACE_END = 1;

    private final AvroSerdes serdes;

    StateSerdes(AvroSerdes serdes) {
        this.serdes = serdes;
    }

    Serde<EnvironmentDrift> environmentDrift() {
        return Serdes.serdeFrom((topic, value) -> value == null ? null : write(value),
                (topic, data) -> data == null ? null : read(data));
    }

    private byte[] write(EnvironmentDrift env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            writeString(out, env.service());
            writeString(out, env.environment());
            writeRecord(out, env.environmentWide());
            Map<String, DesiredState> perCluster = new TreeMap<>(env.perCluster());
            out.writeInt(perCluster.size());
            for (Map.Entry<String, DesiredState> e : perCluster.entrySet()) {
                writeString(out, e.getKey());
                writeRecord(out, e.getValue());
            }
            out.writeLong(env.lastDigestChange());
            out.writeLong(env.filedGraceEnd());
            Map<String, ClusterState> clusters = new TreeMap<>(env.clusters());
            out.writeInt(clusters.size());
            for (Map.Entry<String, ClusterState> e : clusters.entrySet()) {
                ClusterState c = e.getValue();
                writeString(out, e.getKey());
                writeRecord(out, c.observed());
                out.writeLong(c.changedAt());
                writeString(out, c.comparedArtifact());
                writeString(out, c.comparedConfig());
                out.writeLong(c.comparedSince());
                writeRecord(out, c.published());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private EnvironmentDrift read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readInt();
            if (version != VERSION && version != VERSION_WITHOUT_FILED_GRACE_END) {
                throw new SerializationException("EnvironmentDrift state: unknown layout version " + version);
            }
            String service = readString(in);
            String environment = readString(in);
            DesiredState environmentWide = readRecord(in, DesiredState.class);
            int n = in.readInt();
            Map<String, DesiredState> perCluster = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                perCluster.put(readString(in), readRecord(in, DesiredState.class));
            }
            long lastDigestChange = in.readLong();
            // an environment stored before the filed end was kept files its next end of grace anew
            long filedGraceEnd = version == VERSION ? in.readLong() : EnvironmentDrift.NEVER;
            int m = in.readInt();
            Map<String, ClusterState> clusters = new TreeMap<>();
            for (int i = 0; i < m; i++) {
                String name = readString(in);
                clusters.put(name, new ClusterState(readRecord(in, DeploymentEvent.class), in.readLong(), readString(in),
                        readString(in), in.readLong(), readRecord(in, DriftStatus.class)));
            }
            return new EnvironmentDrift(service, environment, environmentWide, perCluster, clusters, lastDigestChange, filedGraceEnd);
        } catch (IOException e) {
            throw new SerializationException("EnvironmentDrift state: truncated or corrupt (" + e + ")", e);
        }
    }

    private <T extends SpecificRecord> void writeRecord(DataOutputStream out, T record)
            throws IOException {
        writeBytes(out, record == null ? null : serdes.serialize(record));
    }

    private <T extends SpecificRecord> T readRecord(DataInputStream in, Class<T> type)
            throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : serdes.deserialize(type, bytes);
    }

    /** Length-prefixed; length -1 for null. */
    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new IOException("negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
