package dev.repro.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.repro.bench.BenchReport;
import dev.repro.bench.BenchSettings;
import dev.repro.bench.Benchmark;
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

    @Option(names = "--recipes", description = "distinct recipe keys among the records (default: ${DEFAULT-VALUE})")
    int recipes = 10_000;

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

    @Override
    public Integer call() throws Exception {
        Console console = Console.stderr();
        Path out = ReproHome.projectRoot().resolve("target").resolve("bench");
        BenchSettings settings;
        try {
            settings = new BenchSettings(records, trials, recipes, partitions, out,
                    scaleKeys.equals(List.of(0)) ? List.of() : scaleKeys, Set.copyOf(only), e2eRate);
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
