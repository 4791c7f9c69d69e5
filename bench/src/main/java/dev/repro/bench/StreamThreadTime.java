package dev.repro.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Where a Kafka Streams app's stream threads spent a measured stretch, summed over its threads:
 * on a CPU (the JVM's thread CPU time) and blocked on Kafka (Kafka Streams' own
 * {@code blocked-time-ns-total}: waiting for records in poll, for the producer's flush and for
 * the transaction at each commit). What is left is waiting for a CPU on a busy machine. Kafka
 * Streams adds a blocking call's time when the call ends, so a call begun before the stretch counts
 * whole in it: over a short stretch the two shares can add up to more than one. Tells
 * what limits a catch-up: a thread on a CPU most of the time is limited by its own work, one
 * blocked most of the time by the broker's answers.
 *
 * @param onCpu          CPU time of the stream threads, as a share of the stretch's wall time
 * @param blockedOnKafka time blocked on Kafka, as a share of the stretch's wall time
 */
record StreamThreadTime(double onCpu, double blockedOnKafka) {

    private static final String STREAM_THREAD = "-StreamThread-";
    private static final String THREAD_METRICS = "stream-thread-metrics";
    private static final String BLOCKED = "blocked-time-ns-total";

    /** Totals of {@code streams} (application {@code applicationId}) so far: read one at the start, one at the end. */
    record Totals(long nanos, long cpuNanos, double blockedNanos) {

        static Totals of(String applicationId, KafkaStreams streams) {
            long now = System.nanoTime();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = 0;
            // names only (no stack traces), so the look costs the measured stretch next to nothing
            for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (thread != null && thread.getThreadName().startsWith(applicationId + "-")
                        && thread.getThreadName().contains(STREAM_THREAD)) {
                    cpu += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
                }
            }
            double blocked = 0;
            for (var entry : streams.metrics().entrySet()) {
                MetricName name = entry.getKey();
                if (name.group().equals(THREAD_METRICS) && name.name().equals(BLOCKED)
                        && entry.getValue().metricValue() instanceof Double value) {
                    blocked += value;
                }
            }
            return new Totals(now, cpu, blocked);
        }

        /** The shares between {@code start} and these totals. */
        StreamThreadTime since(Totals start) {
            double wall = Math.max(1, nanos - start.nanos);
            return new StreamThreadTime((cpuNanos - start.cpuNanos) / wall, (blockedNanos - start.blockedNanos) / wall);
        }
    }

    /** As the trial line shows it, e.g. {@code stream threads on CPU 58%, blocked on Kafka 31%}. */
    String describe() {
        return String.format(Locale.ROOT, "stream threads on CPU %.0f%%, blocked on Kafka %.0f%%",
                100 * onCpu, 100 * blockedOnKafka);
    }
}
