package dev.repro.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one {@code repro bench} run measures.
 *
 * @param records   records per trial
 * @param trials    trials per stage; the median is reported
 * @param recipes   distinct recipe keys among the records
 * @param partitions partitions of every benchmark topic
 * @param outputDir where {@code results.json} and the benchmark's broker data go ({@code target/bench})
 * @param scaleKeys  distinct key counts each stream app is also run at, one record per key, for
 *                   its throughput and state size as state grows (empty: no scale runs)
 */
public record BenchSettings(int records, int trials, int recipes, int partitions, Path outputDir, List<Integer> scaleKeys) {

    /** The contract's scale points: 10^4, 10^5 and 10^6 distinct keys. */
    public static final List<Integer> DEFAULT_SCALE_KEYS = List.of(10_000, 100_000, 1_000_000);

    public BenchSettings {
        if (records < 1 || trials < 1 || recipes < 1 || partitions < 1) {
            throw new IllegalArgumentException("records, trials, recipes and partitions must be at least 1");
        }
        scaleKeys = List.copyOf(scaleKeys);
        if (scaleKeys.stream().anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("every scale key count must be at least 1, got " + scaleKeys);
        }
    }
}
