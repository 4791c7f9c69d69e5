package dev.repro.sli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import dev.repro.schema.Alert;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.StateSerde;

/**
 * Serdes of the aggregator's state-store values and its internal repartition topic: small
 * versioned binary layouts; alerts kept in their contract encoding (Avro single-object).
 */
final class StateSerdes {

    private static final int VERSION = 1;

    private final AvroSerdes serdes;

    StateSerdes(AvroSerdes serdes) {
        this.serdes = serdes;
    }

    /**
     * What the observation stage sends the aggregation stage through one repartition topic: an
     * {@link SliDelta} or an alert condition (an {@link Alert} carrier, in its contract encoding).
     */
    Serde<Object> update() {
        return serde(Object.class, (update, out) -> {
            if (update instanceof SliDelta delta) {
                out.writeByte(0);
                writeDelta(delta, out);
            } else {
                out.writeByte(1);
                writeBytes(out, serdes.serialize((Alert) update));
            }
        }, in -> in.readByte() == 0 ? readDelta(in) : serdes.deserialize(Alert.class, readBytes(in)));
    }

    private static void writeDelta(SliDelta d, DataOutputStream out) throws IOException {
        writeString(out, d.sli().id());
        writeString(out, d.scope());
        out.writeInt(d.entries().size());
        for (SlidingWindows.Entry e : d.entries()) {
            out.writeLong(e.time());
            out.writeInt(e.sign());
            out.writeLong(e.good());
            out.writeLong(e.total());
            writeNullableDouble(out, e.value());
        }
    }

    private static SliDelta readDelta(DataInputStream in) throws IOException {
        Sli sli = sli(readString(in));
        String scope = readString(in);
        int n = in.readInt();
        List<SlidingWindows.Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new SlidingWindows.Entry(in.readLong(), in.readInt(), in.readLong(), in.readLong(),
                    readNullableDouble(in)));
        }
        return new SliDelta(sli, scope, entries);
    }

    Serde<Contribution> contribution() {
        return serde(Contribution.class, (c, out) -> {
            writeString(out, c.sli().id());
            writeString(out, c.entity());
            out.writeBoolean(c.replaceable());
            out.writeLong(c.time());
            out.writeLong(c.good());
            out.writeLong(c.total());
            writeNullableDouble(out, c.value());
            out.writeInt(c.scopes().size());
            for (String s : c.scopes()) {
                writeString(out, s);
            }
        }, in -> {
            Sli sli = sli(readString(in));
            String entity = readString(in);
            boolean replaceable = in.readBoolean();
            long time = in.readLong();
            long good = in.readLong();
            long total = in.readLong();
            Double value = readNullableDouble(in);
            int n = in.readInt();
            List<String> scopes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                scopes.add(readString(in));
            }
            return new Contribution(sli, entity, replaceable, time, good, total, value, scopes);
        });
    }

    Serde<SuiteRuns> suiteRuns() {
        return serde(SuiteRuns.class, (s, out) -> {
            out.writeInt(s.runs().size());
            for (Map.Entry<String, SuiteRuns.Run> e : s.runs().entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue().environment());
                writeString(out, e.getValue().outcome());
                out.writeLong(e.getValue().time());
            }
            out.writeInt(s.labels().size());
            for (Map.Entry<String, String> e : s.labels().entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        }, in -> {
            TreeMap<String, SuiteRuns.Run> runs = new TreeMap<>();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                runs.put(readString(in), new SuiteRuns.Run(readString(in), readString(in), in.readLong()));
            }
            TreeMap<String, String> labels = new TreeMap<>();
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                labels.put(readString(in), readString(in));
            }
            return new SuiteRuns(runs, labels);
        });
    }

    Serde<Counts> counts() {
        return serde(Counts.class, StateSerdes::writeCounts, StateSerdes::readCounts);
    }

    Serde<ScopeState> scopeState() {
        return serde(ScopeState.class, (s, out) -> {
            out.writeLong(s.asOf());
            out.writeLong(s.end());
            out.writeInt(s.firingTier() == null ? 0 : s.firingTier().rank());
            out.writeInt(SliWindow.values().length);
            for (SliWindow w : SliWindow.values()) {
                writeString(out, w.label());
                writeCounts(s.sum(w), out);
            }
        }, in -> {
            long asOf = in.readLong();
            long end = in.readLong();
            BurnTier tier = BurnTier.byRank(in.readInt());
            int n = in.readInt();
            EnumMap<SliWindow, Counts> sums = new EnumMap<>(SliWindow.class);
            for (int i = 0; i < n; i++) {
                String label = readString(in);
                Counts counts = readCounts(in);
                SliWindow.byLabel(label).ifPresent(w -> sums.put(w, counts));
            }
            return new ScopeState(asOf, end, tier, sums);
        });
    }

    Serde<AlertState> alertState() {
        return serde(AlertState.class, (s, out) -> {
            out.writeBoolean(s.alert() != null);
            if (s.alert() != null) {
                writeBytes(out, serdes.serialize(s.alert()));
            }
            out.writeLong(s.resolvedAt());
            out.writeLong(s.lastConditionTime());
        }, in -> {
            Alert alert = in.readBoolean() ? serdes.deserialize(Alert.class, readBytes(in)) : null;
            return new AlertState(alert, in.readLong(), in.readLong());
        });
    }

    private static void writeCounts(Counts c, DataOutputStream out) throws IOException {
        out.writeLong(c.good());
        out.writeLong(c.total());
        out.writeInt(c.values().bins().size());
        for (Map.Entry<Long, Long> e : c.values().bins().entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static Counts readCounts(DataInputStream in) throws IOException {
        long good = in.readLong();
        long total = in.readLong();
        int n = in.readInt();
        Histogram h = new Histogram();
        for (int i = 0; i < n; i++) {
            h.addBin(in.readLong(), in.readLong());
        }
        return new Counts(good, total, h);
    }

    private static Sli sli(String id) throws IOException {
        return Sli.byId(id).orElseThrow(() -> new IOException("unknown SLI '" + id + "'"));
    }

    private static <T> Serde<T> serde(Class<T> type, StateSerde.Writer<T> writer, StateSerde.Reader<T> reader) {
        return StateSerde.of(type, VERSION, writer, reader);
    }

    private static void writeNullableDouble(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readNullableDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
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
