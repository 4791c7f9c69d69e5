package dev.repro.verifier;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.repro.schema.RunEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.StateSerde;

/**
 * Serdes of the verifier's state store values (and so of their changelog topics). Events are
 * kept in their contract encoding (Avro single-object, so an older writer schema still reads
 * after an upgrade); the structure around them is a small versioned binary layout.
 */
final class StateSerdes {

    private static final int VERSION = 1;

    private final AvroSerdes serdes;

    StateSerdes(AvroSerdes serdes) {
        this.serdes = serdes;
    }

    Serde<RunHistory> runHistory() {
        return serde(RunHistory.class, (history, out) -> {
            out.writeBoolean(history.original() != null);
            if (history.original() != null) {
                writeBytes(out, serdes.serialize(history.original()));
            }
            out.writeInt(history.ignoredOriginals().size());
            for (RunEvent r : history.ignoredOriginals()) {
                writeBytes(out, serdes.serialize(r));
            }
            out.writeInt(history.replays().size());
            for (RunHistory.Replay r : history.replays()) {
                writeBytes(out, serdes.serialize(r.run()));
                writeString(out, r.judgement().name());
            }
        }, in -> {
            RunEvent original = in.readBoolean() ? serdes.deserialize(RunEvent.class, readBytes(in)) : null;
            int ignored = in.readInt();
            List<RunEvent> ignoredOriginals = new ArrayList<>(ignored);
            for (int i = 0; i < ignored; i++) {
                ignoredOriginals.add(serdes.deserialize(RunEvent.class, readBytes(in)));
            }
            int n = in.readInt();
            List<RunHistory.Replay> replays = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                replays.add(new RunHistory.Replay(serdes.deserialize(RunEvent.class, readBytes(in)),
                        RunHistory.Judgement.valueOf(readString(in))));
            }
            return new RunHistory(original, ignoredOriginals, replays);
        });
    }

    private static <T> Serde<T> serde(Class<T> type, StateSerde.Writer<T> writer, StateSerde.Reader<T> reader) {
        return StateSerde.of(type, VERSION, writer, reader);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}
