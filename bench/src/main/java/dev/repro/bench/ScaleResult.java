package dev.repro.bench;

/**
 * One stream app caught up on {@code records} records with {@code keys} distinct keys: its rate,
 * its state directory's size on disk afterwards (RocksDB files and checkpoints), and the most the
 * RocksDB memory shared by every store of the process held meanwhile (bounded by
 * {@code REPRO_ROCKSDB_MEMORY}).
 */
record ScaleResult(String app, int keys, long records, double eventsPerSecond, long stateBytes, long rocksDbMemoryBytes) {
}
