package dev.repro.bench;

/**
 * One stream app caught up on {@code records} records with {@code keys} distinct keys: its rate,
 * and its state directory's size on disk afterwards (RocksDB files and checkpoints).
 */
record ScaleResult(String app, int keys, long records, double eventsPerSecond, long stateBytes) {
}
