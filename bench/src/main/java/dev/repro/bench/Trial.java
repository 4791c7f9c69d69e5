package dev.repro.bench;

/**
 * One timed pass over {@code records} records of {@code bytes} bytes in total.
 *
 * @param threads where a Kafka Streams app's stream threads spent the pass; null for other stages
 */
record Trial(long records, long bytes, long nanos, StreamThreadTime threads) {

    Trial(long records, long bytes, long nanos) {
        this(records, bytes, nanos, null);
    }

    double eventsPerSecond() {
        return records / (nanos / 1e9);
    }
}
