package dev.repro.bench;

/**
 * One timed pass over {@code records} records of {@code bytes} bytes in total.
 *
 * @param nanos   how long the timed stretch took
 * @param threads where a Kafka Streams app's stream threads spent the timed stretch; null for other stages
 * @param startup for a Kafka Streams app, what came before the timed stretch ({@link Startup}); null for
 *                other stages, timed from their first record
 */
record Trial(long records, long bytes, long nanos, StreamThreadTime threads, Startup startup) {

    /**
     * A Kafka Streams app's start, left out of its rate: from {@code start()} to the first look that
     * found part of its input committed (threads and tasks created, stores and changelogs opened,
     * the first fetch and transaction); zero when the whole input was committed at that look and
     * the trial is timed from {@code start()}.
     *
     * @param nanos   how long it took
     * @param records the records committed by then, which the rate leaves out too
     */
    record Startup(long nanos, long records) {
    }

    Trial(long records, long bytes, long nanos) {
        this(records, bytes, nanos, null, null);
    }

    /** The records of the timed stretch by its duration. */
    double eventsPerSecond() {
        return (records - (startup == null ? 0 : startup.records())) / (nanos / 1e9);
    }
}
