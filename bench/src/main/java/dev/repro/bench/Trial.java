package dev.repro.bench;

/** One timed pass over {@code records} records of {@code bytes} bytes in total. */
record Trial(long records, long bytes, long nanos) {

    double eventsPerSecond() {
        return records / (nanos / 1e9);
    }
}
