package dev.repro.alerts.http;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

import dev.repro.alerts.TargetKind;
import dev.repro.schema.AlertStatus;

/**
 * The forwarder's counters, delivery-latency histogram and gauges, rendered in the Prometheus
 * text exposition format (version 0.0.4). Every series of a configured target exists from the
 * start, at zero, so rates and alerts on them work before the first failure.
 */
public final class ForwarderMetrics {

    static final double[] LATENCY_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

    private final String topic;
    private final Set<TargetKind> targets;
    private final Map<TargetKind, Map<AlertStatus, LongAdder>> forwarded = new EnumMap<>(TargetKind.class);
    private final Map<TargetKind, LongAdder> retried = new EnumMap<>(TargetKind.class);
    private final Map<TargetKind, LongAdder> parked = new EnumMap<>(TargetKind.class);
    private final Map<TargetKind, Histogram> latency = new EnumMap<>(TargetKind.class);
    private final LongAdder resent = new LongAdder();
    private final LongAdder undecodable = new LongAdder();
    private volatile Gauges gauges;

    /**
     * What the delivery loop last saw.
     *
     * @param ready              consuming: in the group with its partitions
     * @param assignedPartitions partitions of the alerts topic this instance owns
     * @param pausedPartitions   of those, paused because too many changes wait for a target
     * @param pending            per target, changes read and not yet taken
     * @param targetUp           per target, false after a retryable failure until it takes a change again
     * @param lag                per partition, records between the read position and the end
     */
    public record Gauges(boolean ready, int assignedPartitions, int pausedPartitions, Map<TargetKind, Integer> pending,
            Map<TargetKind, Boolean> targetUp, Map<Integer, Long> lag) {

        public Gauges {
            pending = Map.copyOf(pending);
            targetUp = Map.copyOf(targetUp);
            lag = Map.copyOf(lag);
        }
    }

    /** Cumulative buckets of one target's latencies. */
    private static final class Histogram {
        private final AtomicLongArray buckets = new AtomicLongArray(LATENCY_BUCKETS.length + 1);
        private final DoubleAdder sum = new DoubleAdder();

        void observe(double seconds) {
            int i = 0;
            while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]) {
                i++;
            }
            buckets.incrementAndGet(i);
            sum.add(seconds);
        }
    }

    /**
     * @param topic   the alerts topic (the lag's {@code topic} label)
     * @param targets the configured targets
     */
    public ForwarderMetrics(String topic, Set<TargetKind> targets) {
        this.topic = topic;
        this.targets = Set.copyOf(targets);
        for (TargetKind target : targets) {
            Map<AlertStatus, LongAdder> byStatus = new EnumMap<>(AlertStatus.class);
            for (AlertStatus status : AlertStatus.values()) {
                byStatus.put(status, new LongAdder());
            }
            forwarded.put(target, byStatus);
            retried.put(target, new LongAdder());
            parked.put(target, new LongAdder());
            latency.put(target, new Histogram());
        }
        this.gauges = new Gauges(false, 0, 0, Map.of(), Map.of(), Map.of());
    }

    /** {@code target} took a change of status {@code status}, {@code latency} after the record's timestamp. */
    public void forwarded(TargetKind target, AlertStatus status, Duration latency) {
        forwarded.get(target).get(status).increment();
        this.latency.get(target).observe(Math.max(0, latency.toNanos()) / 1e9);
    }

    /** An attempt to {@code target} failed and will be retried. */
    public void retried(TargetKind target) {
        retried.get(target).increment();
    }

    /** {@code target} refused a change, which went to the dead-letter topic. */
    public void parked(TargetKind target) {
        parked.get(target).increment();
    }

    /** {@code alerts} open alerts were sent to Alertmanager again to keep them active. */
    public void resent(int alerts) {
        resent.add(alerts);
    }

    /** A record of the alerts topic could not be decoded and went to the dead-letter topic. */
    public void undecodable() {
        undecodable.increment();
    }

    public void gauges(Gauges latest) {
        this.gauges = latest;
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        List<TargetKind> ordered = targets.stream().sorted().toList();
        header(out, "repro_alerts_forwarded_total", "counter",
                "Alert changes a target accepted, by target and alert status (FIRING or RESOLVED).");
        for (TargetKind target : ordered) {
            forwarded.get(target).forEach((status, n) -> out.append("repro_alerts_forwarded_total{target=\"")
                    .append(target.id()).append("\",status=\"").append(status).append("\"} ").append(n.sum()).append('\n'));
        }
        perTarget(out, "repro_alerts_retried_total", "counter",
                "Attempts that failed and will be retried (no connection, timeout, 408, 429, 5xx), by target.", ordered,
                target -> retried.get(target).sum());
        perTarget(out, "repro_alerts_parked_total", "counter",
                "Alert changes a target refused (other 4xx), written to the dead-letter topic, by target.", ordered,
                target -> parked.get(target).sum());
        header(out, "repro_alerts_resent_total", "counter",
                "Open alerts sent to Alertmanager again to keep them active.");
        out.append("repro_alerts_resent_total ").append(resent.sum()).append('\n');
        header(out, "repro_alerts_undecodable_total", "counter",
                "Records of the alerts topic that could not be decoded, written to the dead-letter topic.");
        out.append("repro_alerts_undecodable_total ").append(undecodable.sum()).append('\n');
        latency(out, ordered);
        Gauges g = gauges;
        perTarget(out, "repro_alerts_pending", "gauge",
                "Alert changes read and not yet accepted by the target (waiting, in flight or retrying).", ordered,
                target -> g.pending().getOrDefault(target, 0));
        perTarget(out, "repro_alerts_target_up", "gauge",
                "1 unless the target's latest attempt failed in a retryable way (0 until it accepts again).", ordered,
                target -> g.targetUp().getOrDefault(target, true) ? 1 : 0);
        header(out, "repro_alerts_consumer_lag", "gauge",
                "Records of the alerts topic not yet read, by partition this instance owns.");
        new TreeMap<>(g.lag()).forEach((partition, lag) -> out.append("repro_alerts_consumer_lag{topic=\"")
                .append(escape(topic)).append("\",partition=\"").append(partition).append("\"} ").append(lag).append('\n'));
        header(out, "repro_alerts_assigned_partitions", "gauge", "Partitions of the alerts topic this instance owns.");
        out.append("repro_alerts_assigned_partitions ").append(g.assignedPartitions()).append('\n');
        header(out, "repro_alerts_paused_partitions", "gauge",
                "Owned partitions paused because too many of their changes wait for a target.");
        out.append("repro_alerts_paused_partitions ").append(g.pausedPartitions()).append('\n');
        header(out, "repro_alerts_ready", "gauge", "1 when the forwarder is in its consumer group and consuming.");
        out.append("repro_alerts_ready ").append(g.ready() ? 1 : 0).append('\n');
        return out.toString();
    }

    private void latency(StringBuilder out, List<TargetKind> ordered) {
        String name = "repro_alerts_delivery_latency_seconds";
        header(out, name, "histogram", "Time from the alert record's timestamp to its acceptance by the target.");
        for (TargetKind target : ordered) {
            Histogram h = latency.get(target);
            long cumulative = 0;
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                cumulative += h.buckets.get(i);
                out.append(name).append("_bucket{target=\"").append(target.id()).append("\",le=\"")
                        .append(number(LATENCY_BUCKETS[i])).append("\"} ").append(cumulative).append('\n');
            }
            cumulative += h.buckets.get(LATENCY_BUCKETS.length);
            out.append(name).append("_bucket{target=\"").append(target.id()).append("\",le=\"+Inf\"} ").append(cumulative).append('\n');
            out.append(name).append("_sum{target=\"").append(target.id()).append("\"} ").append(number(h.sum.sum())).append('\n');
            out.append(name).append("_count{target=\"").append(target.id()).append("\"} ").append(cumulative).append('\n');
        }
    }

    private static void perTarget(StringBuilder out, String name, String type, String help, List<TargetKind> targets,
            ToLongFunction<TargetKind> value) {
        header(out, name, type, help);
        for (TargetKind target : targets) {
            out.append(name).append("{target=\"").append(target.id()).append("\"} ").append(value.applyAsLong(target)).append('\n');
        }
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
