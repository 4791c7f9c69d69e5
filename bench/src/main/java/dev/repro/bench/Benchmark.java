package dev.repro.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.AppInfoParser;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.kafka.local.LocalKafka;
import dev.repro.serde.AvroSerdes;

/**
 * {@code repro bench}: starts its own broker (a child JVM, fresh data under the output
 * directory), then measures, side by side in one run, the two ceilings over build events (the
 * broker's raw produce rate and an exactly-once Kafka Streams pass-through), each stream app on
 * the load generator's records of its own inputs next to both ceilings and the {@link DedupeFloor}
 * over that input, ingest, end-to-end latency, and the stream apps as their state grows.
 */
public final class Benchmark {

    private final BenchSettings settings;
    private final Consumer<String> progress;

    public Benchmark(BenchSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public BenchReport run() throws InterruptedException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Path brokerDir = settings.brokerDir();
        // scratch of an earlier run: a stream app must not find state its new broker knows nothing of
        deleteScratch();
        progress.accept(settings.load().describe());
        progress.accept("starting a broker for the benchmark (data in " + brokerDir + ") …");
        try (LocalKafka broker = LocalKafka.builder(brokerDir).heap("1g").build().start()) {
            return measure(broker, started, t0);
        } finally {
            // a run of 10^5 records leaves gigabytes of broker log and RocksDB files behind: only results.json is kept
            deleteScratch();
        }
    }

    /** Every stage the settings ask for, against {@code broker}. */
    private BenchReport measure(LocalKafka broker, Instant started, long t0) throws InterruptedException {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
        KafkaClientSettings clients = new KafkaClientSettings(config);
        try (Admin admin = Admin.create(clients.admin())) {
            BenchContext context = new BenchContext(settings, config, clients, admin, progress);
            List<StageResult> stages = new ArrayList<>(ceilings(context));
            double produceRate = stages.get(0).eventsPerSecond();
            double passThroughRate = stages.get(1).eventsPerSecond();
            List<AppStage> apps = Arrays.stream(AppStage.App.values()).filter(a -> settings.runs(a.stageName()))
                    .map(a -> new AppStage(context, a)).toList();
            for (AppStage app : apps) {
                stages.addAll(app.measure());
            }
            if (settings.runs("ingest")) {
                stages.addAll(new IngestStage(context).measure(produceRate, passThroughRate));
            }
            List<LatencyResult> latency = settings.runs("e2e") ? List.of(new EndToEndStage(context).measure()) : List.of();
            List<ScaleResult> scale = new ArrayList<>();
            for (AppStage app : apps) {
                for (int keys : settings.scaleKeys()) {
                    scale.add(app.scale(keys));
                }
            }
            return new BenchReport(started.toString(), (System.nanoTime() - t0) / 1e9, AppInfoParser.getVersion(),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory(), settings, stages.get(0).averageRecordBytes(), stages, latency, scale);
        }
    }

    /** The two ceilings over build events (held only while they run). */
    private List<StageResult> ceilings(BenchContext context) throws InterruptedException {
        progress.accept("generating " + settings.records() + " build events over " + settings.recipes() + " recipes …");
        List<SampleEvents.Keyed> records = new SampleEvents(42, AvroSerdes.create()).builds(settings.records(), settings.recipes());
        return new Ceilings(context).measure(records);
    }

    /** The broker's data and the apps' state: everything under the output directory but results.json. */
    private void deleteScratch() {
        deleteRecursively(settings.brokerDir());
        deleteRecursively(settings.stateDir());
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }
}
