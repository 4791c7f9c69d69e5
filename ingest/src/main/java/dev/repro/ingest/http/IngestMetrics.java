package dev.repro.ingest.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Ingest's counters and the produce-latency histogram, rendered in the Prometheus text
 * exposition format (version 0.0.4).
 */
public final class IngestMetrics {

    private static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder archivedOnly = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder failedTransactions = new LongAdder();
    private final AtomicLongArray latencyBuckets = new AtomicLongArray(LATENCY_BUCKETS.length + 1);
    private final LongAdder latencyCount = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder latencySum = new java.util.concurrent.atomic.DoubleAdder();
    private final BooleanSupplier kafkaReady;

    public IngestMetrics(BooleanSupplier kafkaReady) {
        this.kafkaReady = kafkaReady;
    }

    public void accepted(String type) {
        accepted.computeIfAbsent(type, k -> new LongAdder()).increment();
    }

    /** {@code reason}: a short, bounded label such as {@code digest-format}, {@code unauthenticated}, {@code too-large}. */
    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void archivedOnly() {
        archivedOnly.increment();
    }

    public void response(String path, int status) {
        responses.computeIfAbsent(path + " " + status, k -> new LongAdder()).increment();
    }

    public void transaction(boolean committed) {
        (committed ? transactions : failedTransactions).increment();
    }

    public void produceLatency(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) {
            i++;
        }
        latencyBuckets.incrementAndGet(i);
        latencyCount.increment();
        latencySum.add(seconds);
    }

    public String render() {
        StringBuilder out = new StringBuilder(2048);
        counterFamily(out, "repro_ingest_events_accepted_total", "Events acknowledged by Kafka, by event type.", "type", accepted);
        counterFamily(out, "repro_ingest_events_rejected_total", "Events or requests refused, by reason.", "reason", rejected);
        counter(out, "repro_ingest_duplicates_total", "Events answered as duplicates of an already accepted source+id.", duplicates.sum());
        counter(out, "repro_ingest_cdevents_archived_only_total",
                "Valid CDEvents of a type that maps to no typed record: accepted and archived only.", archivedOnly.sum());
        counter(out, "repro_ingest_transactions_total", "Archive transactions committed.", transactions.sum());
        counter(out, "repro_ingest_transactions_failed_total", "Archive transactions that failed (answered 503).", failedTransactions.sum());
        out.append("# HELP repro_ingest_http_responses_total HTTP responses, by path and status.\n");
        out.append("# TYPE repro_ingest_http_responses_total counter\n");
        new TreeMap<>(responses).forEach((k, v) -> {
            int space = k.lastIndexOf(' ');
            out.append("repro_ingest_http_responses_total{path=\"").append(escape(k.substring(0, space)))
                    .append("\",status=\"").append(k.substring(space + 1)).append("\"} ").append(v.sum()).append('\n');
        });
        out.append("# HELP repro_ingest_produce_latency_seconds Time from submission to the committed transaction.\n");
        out.append("# TYPE repro_ingest_produce_latency_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            cumulative += latencyBuckets.get(i);
            out.append("repro_ingest_produce_latency_seconds_bucket{le=\"").append(number(LATENCY_BUCKETS[i])).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += latencyBuckets.get(LATENCY_BUCKETS.length);
        out.append("repro_ingest_produce_latency_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append("repro_ingest_produce_latency_seconds_sum ").append(number(latencySum.sum())).append('\n');
        out.append("repro_ingest_produce_latency_seconds_count ").append(cumulative).append('\n');
        out.append("# HELP repro_ingest_kafka_ready 1 when the archive writer can write to Kafka.\n");
        out.append("# TYPE repro_ingest_kafka_ready gauge\n");
        out.append("repro_ingest_kafka_ready ").append(kafkaReady.getAsBoolean() ? 1 : 0).append('\n');
        return out.toString();
    }

    private static void counterFamily(StringBuilder out, String name, String help, String label, Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(values).forEach((k, v) -> out.append(name).append('{').append(label).append("=\"").append(escape(k))
                .append("\"} ").append(v.sum()).append('\n'));
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
