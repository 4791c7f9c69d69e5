package dev.repro.bench;

import java.nio.file.Path;

/**
 * What one {@code repro bench} run measures.
 *
 * @param records   records per trial
 * @param trials    trials per stage; the median is reported
 * @param recipes   distinct recipe keys among the records
 * @param partitions partitions of every benchmark topic
 * @param outputDir where {@code results.json} and the benchmark's broker data go ({@code target/bench})
 */
public record BenchSettings(int records, int trials, int recipes, int partitions, Path outputDir) {

    public BenchSettings {
        if (records < 1 || trials < 1 || recipes < 1 || partitions < 1) {
            throw new IllegalArgumentException("records, trials, recipes and partitions must be at least 1");
        }
    }
}
