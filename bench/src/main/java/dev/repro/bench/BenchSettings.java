package dev.repro.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one {@code repro bench} run measures.
 *
 * @param records   records per trial (each stream app: records of its own input topics)
 * @param trials    trials per stage; the median is reported
 * @param partitions partitions of every benchmark topic
 * @param outputDir where {@code results.json} and the benchmark's broker data go ({@code target/bench})
 * @param scaleKeys  distinct key counts each stream app is also run at, one record per key, for
 *                   its throughput and state size as state grows (empty: no scale runs)
 * @param only       the stages to run besides the two ceilings, among {@link #STAGES} (empty: all)
 * @param e2eRate    the fixed load (events/s) end-to-end latency is measured at
 * @param load       what the load generator makes for the stream apps (the recipes among it)
 */
public record BenchSettings(int records, int trials, int partitions, Path outputDir, List<Integer> scaleKeys,
                            Set<String> only, double e2eRate, LoadProfile load) {

    /** The contract's offered load for end-to-end latency. */
    public static final double DEFAULT_E2E_RATE = 1_000;

    /** The stages {@code only} can name: each stream app (its catch-up and scale runs), ingest, end-to-end latency. */
    public static final List<String> STAGES = List.of("verifier", "sli-aggregator", "drift-detector", "ingest", "e2e");

    /** The contract's scale points: 10^4, 10^5 and 10^6 distinct keys. */
    public static final List<Integer> DEFAULT_SCALE_KEYS = List.of(10_000, 100_000, 1_000_000);

    public BenchSettings {
        if (records < 1 || trials < 1 || partitions < 1) {
            throw new IllegalArgumentException("records, trials, recipes and partitions must be at least 1");
        }
        if (!(e2eRate > 0)) {
            throw new IllegalArgumentException("the end-to-end rate must be positive, got " + e2eRate);
        }
        scaleKeys = List.copyOf(scaleKeys);
        if (scaleKeys.stream().anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("every scale key count must be at least 1, got " + scaleKeys);
        }
        only = Set.copyOf(only);
        for (String stage : only) {
            if (!STAGES.contains(stage)) {
                throw new IllegalArgumentException("unknown stage '" + stage + "': the stages are " + String.join(", ", STAGES));
            }
        }
        if (load == null) {
            throw new IllegalArgumentException("the load profile must be given");
        }
        for (AppStage.App app : AppStage.App.values()) {
            if ((only.isEmpty() || only.contains(app.stageName())) && !StageInput.feeds(load.mix(), app.inputs())) {
                throw new IllegalArgumentException("--mix " + load.mix() + " gives the " + app.stageName() + " no input (it reads "
                        + StageInput.describe(app.inputs()) + "): give those kinds a weight, or leave it out with --only");
            }
        }
    }

    /** All stages, the default load over {@code recipes} recipes. */
    public BenchSettings(int records, int trials, int recipes, int partitions, Path outputDir, List<Integer> scaleKeys) {
        this(records, trials, recipes, partitions, outputDir, scaleKeys, Set.of(), DEFAULT_E2E_RATE);
    }

    /** The default load over {@code recipes} recipes. */
    public BenchSettings(int records, int trials, int recipes, int partitions, Path outputDir, List<Integer> scaleKeys,
                         Set<String> only, double e2eRate) {
        this(records, trials, partitions, outputDir, scaleKeys, only, e2eRate, LoadProfile.defaults(checkRecipes(recipes)));
    }

    /** The benchmark broker's data: scratch, cleared before and after a run. */
    public Path brokerDir() {
        return outputDir.resolve("kafka");
    }

    /** Where the measured stream apps keep their state: scratch, cleared before and after a run. */
    public Path stateDir() {
        return outputDir.resolve("streams-state");
    }

    private static int checkRecipes(int recipes) {
        if (recipes < 1) {
            throw new IllegalArgumentException("records, trials, recipes and partitions must be at least 1");
        }
        return recipes;
    }

    /** Distinct recipe keys among the builds. */
    public int recipes() {
        return load.recipes();
    }

    /** Whether {@code stage} is to run. */
    public boolean runs(String stage) {
        return only.isEmpty() || only.contains(stage);
    }
}
