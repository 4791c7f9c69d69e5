package dev.repro.bench;

/**
 * End-to-end latency at a fixed offered load: how long after a build was due to be POSTed its
 * rebuild verdict could be read, and how long ingest took to answer the POST.
 *
 * @param offeredPerSecond the fixed rate events were due at
 * @param events           events posted (each answered 202)
 * @param seconds          how long posting took
 * @param toVerdict        due time of the POST → verdict readable (read_committed), ms
 * @param toAnswer         due time of the POST → its 202, ms
 * @param retried          POSTs answered 503 and sent again (the time of each event still runs from when it was due)
 */
record LatencyResult(String stage, double offeredPerSecond, int events, double seconds, Percentiles toVerdict,
                     Percentiles toAnswer, int retried) {

    /** p50, p95, p99 and the maximum, in milliseconds. */
    record Percentiles(double p50, double p95, double p99, double max) {

        static Percentiles of(long[] nanos) {
            long[] sorted = nanos.clone();
            java.util.Arrays.sort(sorted);
            return new Percentiles(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        }

        /** The nearest-rank percentile. */
        private static double at(long[] sorted, double p) {
            int rank = (int) Math.ceil(p * sorted.length);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }
}
