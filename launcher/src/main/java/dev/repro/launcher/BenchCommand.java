package dev.repro.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.repro.bench.BenchReport;
import dev.repro.bench.BenchSettings;
import dev.repro.bench.Benchmark;
import dev.repro.bench.EventMix;
import dev.repro.bench.LoadProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = {
        "Runs the benchmark against its own embedded broker (a separate JVM) and prints a table;",
        "the figures also go to target/bench/results.json."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--records", description = "records per trial (default: ${DEFAULT-VALUE})")
    int records = 200_000;

    @Option(names = "--trials", description = "trials per stage, the median is reported (default: ${DEFAULT-VALUE})")
    int trials = 3;

    @Option(names = "--recipes", description = "distinct recipe keys among the builds (default: ${DEFAULT-VALUE})")
    int recipes = LoadProfile.DEFAULT_RECIPES;

    @Option(names = "--partitions", description = "partitions of each benchmark topic (default: ${DEFAULT-VALUE})")
    int partitions = 3;

    @Option(names = "--scale-keys", split = ",", paramLabel = "N",
            description = {"distinct key counts each stream app is also run at, for throughput and state size",
                    "(default: 10000,100000,1000000; 0 skips the scale runs)"})
    List<Integer> scaleKeys = BenchSettings.DEFAULT_SCALE_KEYS;

    @Option(names = "--only", split = ",", paramLabel = "STAGE",
            description = {"run only these stages besides the two ceilings: verifier, sli-aggregator, drift-detector,",
                    "ingest, e2e (default: all)"})
    List<String> only = List.of();

    @Option(names = "--e2e-rate", paramLabel = "EVENTS_PER_SECOND",
            description = "the fixed load end-to-end latency is measured at (default: ${DEFAULT-VALUE})")
    double e2eRate = BenchSettings.DEFAULT_E2E_RATE;

    // The load generator (each stream app is fed its own input topics from it). Fractions: a
    // number from 0 to 1 or a percentage (5%); checked by LoadProfile, which names the option.

    @Option(names = "--mix", paramLabel = "KIND=WEIGHT,...",
            description = {"relative weights of the event kinds: builds, runs, tests, deployments, desired",
                    "(default: ${DEFAULT-VALUE})"})
    String mix = EventMix.DEFAULT;

    @Option(names = "--rebuild-ratio", paramLabel = "FRACTION",
            description = "share of builds that independently rebuild a recipe already built (default: ${DEFAULT-VALUE})")
    String rebuildRatio = String.valueOf(LoadProfile.DEFAULT_REBUILD_RATIO);

    @Option(names = "--unreproducible-ratio", paramLabel = "FRACTION",
            description = "share of those rebuilds giving another digest: UNREPRODUCIBLE (default: ${DEFAULT-VALUE})")
    String unreproducibleRatio = String.valueOf(LoadProfile.DEFAULT_UNREPRODUCIBLE_RATIO);

    @Option(names = "--replay-ratio", paramLabel = "FRACTION",
            description = "share of runs that replay an earlier run (default: ${DEFAULT-VALUE})")
    String replayRatio = String.valueOf(LoadProfile.DEFAULT_REPLAY_RATIO);

    @Option(names = "--replay-mismatch-ratio", paramLabel = "FRACTION",
            description = "share of those replays whose outputs differ: MISMATCH (default: ${DEFAULT-VALUE})")
    String replayMismatchRatio = String.valueOf(LoadProfile.DEFAULT_REPLAY_MISMATCH_RATIO);

    @Option(names = "--late-fraction", paramLabel = "FRACTION",
            description = {"share of events 1 s to 6 h behind stream time, within every app's grace",
                    "(default: ${DEFAULT-VALUE})"})
    String lateFraction = String.valueOf(LoadProfile.DEFAULT_LATE_FRACTION);

    @Option(names = "--beyond-grace-fraction", paramLabel = "FRACTION",
            description = {"share of events 25 to 72 h behind stream time: past the 1-day grace of the SLI aggregator",
                    "and the drift detector (dead-lettered there), within the verifier's 14 days (default: ${DEFAULT-VALUE})"})
    String beyondGraceFraction = String.valueOf(LoadProfile.DEFAULT_BEYOND_GRACE_FRACTION);

    @Option(names = "--duplicate-fraction", paramLabel = "FRACTION",
            description = "share of events re-sent unchanged (same source and id), at most 0.5 (default: ${DEFAULT-VALUE})")
    String duplicateFraction = String.valueOf(LoadProfile.DEFAULT_DUPLICATE_FRACTION);

    @Option(names = "--seed", description = "seed of the load generator: the same seed gives the same records (default: ${DEFAULT-VALUE})")
    long seed = LoadProfile.DEFAULT_SEED;

    @Override
    public Integer call() throws Exception {
        Console console = Console.stderr();
        Path out = ReproHome.projectRoot().resolve("target").resolve("bench");
        BenchSettings settings;
        try {
            LoadProfile load = LoadProfile.fromOptions(mix, recipes, rebuildRatio, unreproducibleRatio, replayRatio,
                    replayMismatchRatio, lateFraction, beyondGraceFraction, duplicateFraction, seed);
            settings = new BenchSettings(records, trials, partitions, out,
                    scaleKeys.equals(List.of(0)) ? List.of() : scaleKeys, Set.copyOf(only), e2eRate, load);
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage());
        }
        BenchReport report = new Benchmark(settings, line -> console.say("bench: " + line)).run();
        System.out.print(report.table());
        Path file = report.write();
        console.say("results written to " + file);
        return 0;
    }
}
