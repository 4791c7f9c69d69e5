package dev.repro.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What a benchmark run found: the machine, the settings, each stage; as a table and as JSON. */
public record BenchReport(String startedAt, double durationSeconds, String kafkaVersion, String javaVersion,
                          int cores, long maxHeapBytes, BenchSettings settings, double averageRecordBytes,
                          List<StageResult> stages, List<LatencyResult> latency, List<ScaleResult> scale) {

    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"stage", "guarantee", "records", "bytes/record", "events/s (median)", "MiB/s", "× produce", "× pass-through",
            "threads cpu/blocked"});
        for (StageResult s : stages) {
            rows.add(new String[] {s.stage(), s.guarantee(), String.format(Locale.ROOT, "%,d", s.records()),
                    String.format(Locale.ROOT, "%,.0f", s.averageRecordBytes()),
                    String.format(Locale.ROOT, "%,.0f", s.eventsPerSecond()),
                    String.format(Locale.ROOT, "%.1f", s.megabytesPerSecond()),
                    ratio(s.ratioToProduceCeiling()), ratio(s.ratioToPassThroughCeiling()), threads(s.threads())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder(settings.load().describe()).append('\n');
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                String cell = c < 2 ? String.format("%-" + width[c] + "s", row[c]) : String.format("%" + width[c] + "s", row[c]);
                line.append(cell).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        if (!latency.isEmpty()) {
            out.append('\n').append(latencyTable());
        }
        if (!scale.isEmpty()) {
            out.append('\n').append(scaleTable());
        }
        out.append(String.format(Locale.ROOT, "%d cores, JVM max heap %d MiB, Java %s, Kafka %s, %,.0f-byte build records in the first two ceilings, median of %d trials%n",
                cores, maxHeapBytes / (1024 * 1024), javaVersion, kafkaVersion, averageRecordBytes, settings.trials()));
        return out.toString();
    }

    private String latencyTable() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-24s %10s %8s %8s %8s %8s %8s   %s%n", "end to end",
                "offered/s", "events", "p50 ms", "p95 ms", "p99 ms", "max ms", "POST → 202 p50/p99 ms"));
        for (LatencyResult r : latency) {
            out.append(String.format(Locale.ROOT, "%-24s %,10.0f %,8d %8.0f %8.0f %8.0f %8.0f   %.0f / %.0f%n", r.stage(),
                    r.offeredPerSecond(), r.events(), r.toVerdict().p50(), r.toVerdict().p95(), r.toVerdict().p99(),
                    r.toVerdict().max(), r.toAnswer().p50(), r.toAnswer().p99()));
        }
        return out.toString();
    }

    private String scaleTable() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s %12s %18s %16s %20s%n", "app", "keys",
                "events/s", "state on disk", "RocksDB memory (max)"));
        for (ScaleResult r : scale) {
            out.append(String.format(Locale.ROOT, "%-16s %,12d %,18.0f %12.1f MiB %16.1f MiB%n", r.app(), r.keys(),
                    r.eventsPerSecond(), r.stateBytes() / (1024.0 * 1024), r.rocksDbMemoryBytes() / (1024.0 * 1024)));
        }
        return out.toString();
    }

    private static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    /** Stream threads' shares of the wall time on a CPU and blocked on Kafka, e.g. {@code 58% / 31%}. */
    private static String threads(StreamThreadTime t) {
        return t == null ? "-" : String.format(Locale.ROOT, "%.0f%% / %.0f%%", 100 * t.onCpu(), 100 * t.blockedOnKafka());
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("started_at", startedAt);
        root.put("duration_seconds", durationSeconds);
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", cores);
        machine.put("max_heap_bytes", maxHeapBytes);
        machine.put("java_version", javaVersion);
        machine.put("kafka_version", kafkaVersion);
        ObjectNode s = root.putObject("settings");
        s.put("records_per_trial", settings.records());
        s.put("trials", settings.trials());
        s.put("recipes", settings.recipes());
        s.put("partitions", settings.partitions());
        ArrayNode scaleKeys = s.putArray("scale_keys");
        settings.scaleKeys().forEach(scaleKeys::add);
        ArrayNode only = s.putArray("only");
        settings.only().stream().sorted().forEach(only::add);
        LoadProfile load = settings.load();
        ObjectNode l = s.putObject("load");
        ObjectNode mix = l.putObject("mix");
        load.mix().byName().forEach(mix::put);
        l.put("recipes", load.recipes());
        l.put("rebuild_ratio", load.rebuildRatio());
        l.put("unreproducible_ratio", load.unreproducibleRatio());
        l.put("replay_ratio", load.replayRatio());
        l.put("replay_mismatch_ratio", load.replayMismatchRatio());
        l.put("late_fraction", load.lateFraction());
        l.put("beyond_grace_fraction", load.beyondGraceFraction());
        l.put("duplicate_fraction", load.duplicateFraction());
        l.put("seed", load.seed());
        root.put("average_record_bytes", averageRecordBytes);
        ArrayNode list = root.putArray("stages");
        for (StageResult r : stages) {
            ObjectNode n = list.addObject();
            n.put("stage", r.stage());
            n.put("guarantee", r.guarantee());
            n.put("input", r.input());
            n.put("records", r.records());
            n.put("average_record_bytes", r.averageRecordBytes());
            ArrayNode trials = n.putArray("trial_events_per_second");
            r.trialEventsPerSecond().forEach(trials::add);
            n.put("events_per_second", r.eventsPerSecond());
            n.put("mib_per_second", r.megabytesPerSecond());
            if (r.ratioToProduceCeiling() == null) {
                n.putNull("ratio_to_produce_ceiling");
            } else {
                n.put("ratio_to_produce_ceiling", r.ratioToProduceCeiling());
            }
            if (r.ratioToPassThroughCeiling() == null) {
                n.putNull("ratio_to_pass_through_ceiling");
            } else {
                n.put("ratio_to_pass_through_ceiling", r.ratioToPassThroughCeiling());
            }
            if (r.threads() == null) {
                n.putNull("stream_threads");
            } else {
                ObjectNode threads = n.putObject("stream_threads");
                threads.put("on_cpu", r.threads().onCpu());
                threads.put("blocked_on_kafka", r.threads().blockedOnKafka());
            }
            if (r.startupMillis() == null) {
                n.putNull("startup_ms");
            } else {
                n.put("startup_ms", r.startupMillis());
            }
        }
        ArrayNode latencies = root.putArray("end_to_end");
        for (LatencyResult r : latency) {
            ObjectNode n = latencies.addObject();
            n.put("stage", r.stage());
            n.put("offered_per_second", r.offeredPerSecond());
            n.put("events", r.events());
            n.put("seconds", r.seconds());
            percentiles(n.putObject("to_verdict_ms"), r.toVerdict());
            percentiles(n.putObject("to_answer_ms"), r.toAnswer());
            n.put("retried_after_503", r.retried());
        }
        ArrayNode scaleRuns = root.putArray("scale");
        for (ScaleResult r : scale) {
            ObjectNode n = scaleRuns.addObject();
            n.put("app", r.app());
            n.put("keys", r.keys());
            n.put("records", r.records());
            n.put("events_per_second", r.eventsPerSecond());
            n.put("state_bytes", r.stateBytes());
            n.put("rocksdb_memory_bytes", r.rocksDbMemoryBytes());
        }
        return root;
    }

    private static void percentiles(ObjectNode n, LatencyResult.Percentiles p) {
        n.put("p50", p.p50());
        n.put("p95", p.p95());
        n.put("p99", p.p99());
        n.put("max", p.max());
    }

    /** Writes {@code results.json} into the output directory and returns its path. */
    public Path write() throws IOException {
        Files.createDirectories(settings.outputDir());
        Path file = settings.outputDir().resolve("results.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
        return file;
    }
}
