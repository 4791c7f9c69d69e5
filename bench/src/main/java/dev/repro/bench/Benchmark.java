package dev.repro.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.streams.Topology;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.drift.DriftConfig;
import dev.repro.drift.DriftTopology;
import dev.repro.kafka.local.LocalKafka;
import dev.repro.ingest.IngestService;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.ArtifactPartitioner;
import dev.repro.topics.EnvironmentPartitioner;
import dev.repro.verifier.VerifierApp;
import dev.repro.streams.BoundedRocksDbMemory;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;
import dev.repro.sli.SliConfig;
import dev.repro.sli.SliTopology;
import dev.repro.verifier.VerifierConfig;
import dev.repro.verifier.VerifierTopology;

/**
 * {@code repro bench}: starts its own broker (a child JVM, fresh data under the output
 * directory), then measures, side by side in one run, the two ceilings every stage is compared
 * with: the broker's raw produce rate for records of the contract's typical size, and an
 * exactly-once Kafka Streams pass-through over the same records.
 */
public final class Benchmark {

    private static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SCALE_TIMEOUT = Duration.ofMinutes(20);

    private final BenchSettings settings;
    private final Consumer<String> progress;

    public Benchmark(BenchSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public BenchReport run() throws InterruptedException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Path brokerDir = settings.outputDir().resolve("kafka");
        deleteRecursively(brokerDir);
        progress.accept("generating " + settings.records() + " build events over " + settings.recipes() + " recipes …");
        List<SampleEvents.Keyed> records = new SampleEvents(42, AvroSerdes.create()).builds(settings.records(), settings.recipes());
        long bytes = records.stream().mapToLong(r -> r.key().length + r.value().length).sum();
        progress.accept("starting a broker for the benchmark (data in " + brokerDir + ") …");
        try (LocalKafka broker = LocalKafka.builder(brokerDir).heap("1g").build().start()) {
            ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
            KafkaClientSettings clients = new KafkaClientSettings(config);
            try (Admin admin = Admin.create(clients.admin())) {
                List<StageResult> stages = new ArrayList<>();
                StageResult produce = produceCeiling(admin, clients, records, bytes);
                stages.add(produce);
                StageResult passThrough = passThroughCeiling(admin, clients, records, bytes, produce.eventsPerSecond());
                stages.add(passThrough);
                SampleEvents samples = new SampleEvents(42, AvroSerdes.create());
                List<AppUnderTest> apps = apps(config, samples).stream().filter(a -> settings.runs(a.name())).toList();
                for (AppUnderTest app : apps) {
                    stages.add(appCatchUp(app, clients, admin, produce.eventsPerSecond(), passThrough.eventsPerSecond()));
                }
                if (settings.runs("ingest")) {
                    stages.addAll(ingest(config, admin, produce.eventsPerSecond(), passThrough.eventsPerSecond()));
                }
                List<LatencyResult> latency = settings.runs("e2e") ? List.of(endToEnd(config, admin, clients)) : List.of();
                List<ScaleResult> scale = new ArrayList<>();
                for (AppUnderTest app : apps) {
                    for (int keys : settings.scaleKeys()) {
                        scale.add(scale(app, keys, clients, admin));
                    }
                }
                return new BenchReport(started.toString(), (System.nanoTime() - t0) / 1e9, AppInfoParser.getVersion(),
                        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory(), settings, (double) bytes / records.size(), stages, latency, scale);
            }
        }
    }

    private StageResult produceCeiling(Admin admin, KafkaClientSettings clients, List<SampleEvents.Keyed> records, long bytes)
            throws InterruptedException {
        ProduceCeiling ceiling = new ProduceCeiling(clients.producer(), TRIAL_TIMEOUT);
        createTopic(admin, "bench.produce.warmup");
        progress.accept("[produce ceiling] warm-up pass (not counted) …");
        ceiling.measure("bench.produce.warmup", records);
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i <= settings.trials(); i++) {
            String topic = "bench.produce." + i;
            createTopic(admin, topic);
            Trial trial = ceiling.measure(topic, records);
            trials.add(trial);
            progress.accept(String.format("[produce ceiling] trial %d/%d: %,.0f events/s", i, settings.trials(), trial.eventsPerSecond()));
        }
        return result("broker produce", "acks=all, idempotent", trials, bytes, null);
    }

    private StageResult passThroughCeiling(Admin admin, KafkaClientSettings clients, List<SampleEvents.Keyed> records,
                                           long bytes, double produceRate) throws InterruptedException {
        String input = "bench.passthrough.in";
        createTopic(admin, input);
        progress.accept("[pass-through ceiling] writing its input …");
        new ProduceCeiling(seeding(clients), TRIAL_TIMEOUT).measure(input, records);
        List<Trial> trials = new ArrayList<>();
        StreamsCatchUp catchUp = new StreamsCatchUp(streamsSettings(clients), admin,
                settings.outputDir().resolve("streams-state"), TRIAL_TIMEOUT);
        for (int i = 0; i <= settings.trials(); i++) {
            String output = "bench.passthrough.out." + i;
            createTopic(admin, output);
            Trial trial = catchUp.measure("bench-passthrough-" + i, StreamsCatchUp.passThrough(input, output), List.of(input),
                    records.size(), bytes);
            if (i == 0) {
                progress.accept(String.format("[pass-through ceiling] warm-up pass (not counted): %,.0f events/s",
                        trial.eventsPerSecond()));
                continue;
            }
            trials.add(trial);
            progress.accept(String.format("[pass-through ceiling] trial %d/%d: %,.0f events/s", i, settings.trials(),
                    trial.eventsPerSecond()));
        }
        return result("streams pass-through", "exactly_once_v2", trials, bytes, produceRate);
    }

    /**
     * A stream app the benchmark measures: its real topology under a catalog and application id,
     * the topics it reads, and its input: the topic the benchmark writes, how it partitions it (as
     * ingest does), and the record with key number {@code key} (for the scale runs).
     */
    private record AppUnderTest(String name, BiFunction<TopicCatalog, String, Topology> topology, List<TopicId> reads,
                                TopicId input, ToIntBiFunction<String, Integer> partitioner, KeyedRecord record) {
        String stage() {
            return name + " catch-up";
        }
    }

    /** Record number {@code sequence}, with key number {@code key}. */
    @FunctionalInterface
    interface KeyedRecord {
        SampleEvents.Keyed make(int sequence, int key);
    }

    /**
     * The apps measured: the verifier (its real topology and state stores, half of the builds
     * rebuilds) and the SLI aggregator (build provenance, every scope and window) on build events;
     * the drift detector on deployments over three clusters per service (smaller records than
     * builds, so its ratios to the ceilings, measured on builds, flatter it somewhat).
     */
    private List<AppUnderTest> apps(ReproConfig brokerConfig, SampleEvents samples) {
        SliConfig sliDefaults = SliConfig.from(brokerConfig);
        return List.of(
                new AppUnderTest("verifier",
                        (catalog, applicationId) -> new VerifierTopology(catalog, AvroSerdes.create(),
                                new VerifierConfig(applicationId, VerifierConfig.DEFAULT_ORIGINAL_WAIT,
                                        VerifierConfig.DEFAULT_STATE_RETENTION)).build(),
                        List.of(TopicId.BUILDS, TopicId.RUNS), TopicId.BUILDS, ArtifactPartitioner::partition,
                        samples::keyedBuild),
                new AppUnderTest("sli-aggregator",
                        (catalog, applicationId) -> new SliTopology(catalog, AvroSerdes.create(), new SliConfig(applicationId,
                                sliDefaults.bind(), sliDefaults.grace(), sliDefaults.flapWindow(), sliDefaults.burnMinEvents(),
                                sliDefaults.targets(), sliDefaults.productionEnvironments())).build(),
                        List.of(TopicId.BUILDS, TopicId.RUNS, TopicId.TESTS, TopicId.REBUILD_VERDICTS, TopicId.REPLAY_VERDICTS,
                                TopicId.DRIFT),
                        TopicId.BUILDS, ArtifactPartitioner::partition, samples::keyedBuild),
                new AppUnderTest("drift-detector",
                        (catalog, applicationId) -> new DriftTopology(catalog, AvroSerdes.create(),
                                DriftConfig.defaults(applicationId)).build(),
                        List.of(TopicId.DESIRED, TopicId.DEPLOYMENTS), TopicId.DEPLOYMENTS, EnvironmentPartitioner::partition,
                        samples::keyedDeployment));
    }

    /**
     * One app catching up with exactly-once on {@code records} records of its input over
     * {@code recipes} keys, one warm-up pass and then the trials, each on a fresh catalog of topics ({@code bench.<name>.<trial>.}) and
     * application id.
     */
    private StageResult appCatchUp(AppUnderTest app, KafkaClientSettings clients, Admin admin, double produceRate,
                                   double passThroughRate) throws InterruptedException {
        List<Trial> trials = new ArrayList<>();
        long bytes = 0;
        StreamsCatchUp catchUp = new StreamsCatchUp(streamsSettings(clients), admin,
                settings.outputDir().resolve("streams-state"), TRIAL_TIMEOUT);
        for (int i = 0; i <= settings.trials(); i++) {
            TopicCatalog catalog = TopicCatalog.of("bench." + app.name() + "." + i + ".", settings.partitions(), (short) 1);
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
            Trial written = new ProduceCeiling(seeding(clients), TRIAL_TIMEOUT).measure(catalog.name(app.input()),
                    settings.records(), n -> app.record().make(n, n % settings.recipes()), app.partitioner());
            bytes = written.bytes();
            String applicationId = "bench-" + app.name() + "-" + i;
            Trial trial = catchUp.measure(applicationId, app.topology().apply(catalog, applicationId),
                    app.reads().stream().map(catalog::name).toList(), settings.records(), bytes);
            if (i == 0) {
                progress.accept(String.format("[%s] warm-up pass (not counted): %,.0f events/s", app.stage(), trial.eventsPerSecond()));
                continue;
            }
            trials.add(trial);
            progress.accept(String.format("[%s] trial %d/%d: %,.0f events/s", app.stage(), i, settings.trials(),
                    trial.eventsPerSecond()));
        }
        return withPassThrough(result(app.stage(), "exactly_once_v2", trials, bytes, produceRate), passThroughRate);
    }

    /**
     * One app catching up on {@code keys} records with {@code keys} distinct keys (one record per
     * key, made as they are sent, so a million need not fit in memory): its rate, and the size its
     * state directory has on disk once it stopped.
     */
    private ScaleResult scale(AppUnderTest app, int keys, KafkaClientSettings clients, Admin admin) throws InterruptedException {
        TopicCatalog catalog = TopicCatalog.of("bench." + app.name() + ".scale-" + keys + ".", settings.partitions(), (short) 1);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        progress.accept(String.format("[%s at %,d keys] writing its input …", app.name(), keys));
        Trial written = new ProduceCeiling(seeding(clients), SCALE_TIMEOUT)
                .measure(catalog.name(app.input()), keys, i -> app.record().make(i, i), app.partitioner());
        Path stateDir = settings.outputDir().resolve("streams-state");
        String applicationId = "bench-" + app.name() + "-scale-" + keys;
        StreamsCatchUp catchUp = new StreamsCatchUp(streamsSettings(clients), admin, stateDir, SCALE_TIMEOUT);
        Trial trial = catchUp.measure(applicationId,
                app.topology().apply(catalog, applicationId), app.reads().stream().map(catalog::name).toList(), keys,
                written.bytes());
        long stateBytes = sizeOf(stateDir.resolve(applicationId));
        progress.accept(String.format("[%s at %,d keys] %,.0f events/s, state %,.1f MiB on disk, RocksDB memory at most %,.1f MiB",
                app.name(), keys, trial.eventsPerSecond(), stateBytes / (1024.0 * 1024), catchUp.peakRocksDbBytes() / (1024.0 * 1024)));
        return new ScaleResult(app.name(), keys, trial.records(), trial.eventsPerSecond(), stateBytes, catchUp.peakRocksDbBytes());
    }

    private static long sizeOf(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a file RocksDB removed while walking
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }

    /**
     * Ingest over real HTTP with keep-alive, the broker and the router included: NDJSON batches of
     * 500 events from 4 clients, then single-event POSTs from 64 clients (a quarter of the records).
     */
    private List<StageResult> ingest(ReproConfig brokerConfig, Admin admin, double produceRate, double passThroughRate)
            throws InterruptedException {
        String prefix = "bench.pipeline.";
        ReproConfig config = brokerConfig.with(ReproConfig.TOPIC_PREFIX, prefix)
                .with(ReproConfig.TOPIC_PARTITIONS, String.valueOf(settings.partitions()))
                .with("REPRO_INGEST_BIND", "127.0.0.1:0")
                .with("REPRO_STATE_DIR", settings.outputDir().resolve("streams-state").toString());
        TopicCatalog catalog = TopicCatalog.of(prefix, settings.partitions(), (short) 1);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        int singles = Math.max(1, settings.records() / 4);
        List<Trial> ndjson = new ArrayList<>();
        List<Trial> single = new ArrayList<>();
        long ndjsonBytes = 0;
        long singleBytes = 0;
        try (IngestService service = IngestService.start(config)) {
            IngestLoad load = new IngestLoad(service.url(), TRIAL_TIMEOUT);
            awaitReady(service);
            for (int i = 0; i <= settings.trials(); i++) {
                List<String> events = new SampleEvents(100 + i, AvroSerdes.create())
                        .buildJson(settings.records(), settings.recipes(), "https://bench.example.com/ndjson/" + i);
                Trial trial = load.ndjson(events, 500, 4);
                ndjsonBytes = trial.bytes();
                if (i == 0) {
                    progress.accept(String.format("[ingest NDJSON] warm-up pass (not counted): %,.0f events/s", trial.eventsPerSecond()));
                    continue;
                }
                ndjson.add(trial);
                progress.accept(String.format("[ingest NDJSON] trial %d/%d: %,.0f events/s", i, settings.trials(), trial.eventsPerSecond()));
            }
            for (int i = 1; i <= settings.trials(); i++) {
                List<String> events = new SampleEvents(200 + i, AvroSerdes.create())
                        .buildJson(singles, settings.recipes(), "https://bench.example.com/single/" + i);
                Trial trial = load.single(events, 64);
                singleBytes = trial.bytes();
                single.add(trial);
                progress.accept(String.format("[ingest single POSTs] trial %d/%d: %,.0f events/s", i, settings.trials(),
                        trial.eventsPerSecond()));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start ingest for the benchmark: " + e.getMessage(), e);
        }
        return List.of(
                withPassThrough(result("ingest NDJSON (500/batch, 4 clients)", "202 after commit", ndjson, ndjsonBytes, produceRate),
                        passThroughRate),
                withPassThrough(result("ingest single POSTs (64 clients)", "202 after commit", single, singleBytes, produceRate),
                        passThroughRate));
    }

    /**
     * End-to-end latency at the fixed offered load: ingest (with its router) and the verifier on
     * topics of their own, builds POSTed one at a time for 20 s (or {@code records}, if fewer),
     * each timed until its rebuild verdict is readable.
     */
    private LatencyResult endToEnd(ReproConfig brokerConfig, Admin admin, KafkaClientSettings clients)
            throws InterruptedException {
        String prefix = "bench.e2e.";
        ReproConfig config = brokerConfig.with(ReproConfig.TOPIC_PREFIX, prefix)
                .with(ReproConfig.TOPIC_PARTITIONS, String.valueOf(settings.partitions()))
                .with("REPRO_INGEST_BIND", "127.0.0.1:0")
                .with(VerifierConfig.APPLICATION_ID, "bench-e2e-verifier")
                .with(StreamsAppRunner.STATE_DIR, settings.outputDir().resolve("streams-state").toString());
        TopicCatalog catalog = TopicCatalog.of(prefix, settings.partitions(), (short) 1);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        int events = (int) Math.min(settings.records(), Math.round(settings.e2eRate() * 20));
        try (IngestService ingest = IngestService.start(config); StreamsAppRunner verifier = new VerifierApp().start(config)) {
            awaitReady(ingest);
            if (!verifier.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the verifier did not reach RUNNING within 60 s");
            }
            EndToEndLatency latency = new EndToEndLatency(ingest.url(), clients, catalog.name(TopicId.REBUILD_VERDICTS), TRIAL_TIMEOUT);
            progress.accept(String.format("[end-to-end] warm-up: %,d builds at %,.0f/s (not counted) …", events / 4, settings.e2eRate()));
            latency.measure(new SampleEvents(300, AvroSerdes.create()).distinctRecipeBuilds(events / 4, 0,
                    "https://bench.example.com/e2e-warmup"), settings.e2eRate(), progress);
            progress.accept(String.format("[end-to-end] %,d builds at %,.0f/s, one POST each …", events, settings.e2eRate()));
            LatencyResult result = latency.measure(new SampleEvents(301, AvroSerdes.create()).distinctRecipeBuilds(events,
                    1_000_000, "https://bench.example.com/e2e"), settings.e2eRate(), progress);
            progress.accept(String.format("[end-to-end] POST → verdict p50 %.0f ms, p95 %.0f ms, p99 %.0f ms",
                    result.toVerdict().p50(), result.toVerdict().p95(), result.toVerdict().p99()));
            return result;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start ingest for the benchmark: " + e.getMessage(), e);
        }
    }

    private static void awaitReady(IngestService service) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!service.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ingest did not become ready within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static StageResult withPassThrough(StageResult r, double passThroughRate) {
        return new StageResult(r.stage(), r.guarantee(), r.records(), r.trialEventsPerSecond(), r.eventsPerSecond(),
                r.megabytesPerSecond(), r.ratioToProduceCeiling(), r.eventsPerSecond() / passThroughRate);
    }

    /** The stage's median rate over its trials, and its ratio to the produce ceiling when one is given. */
    static StageResult result(String stage, String guarantee, List<Trial> trials, long bytes, Double produceRate) {
        List<Double> rates = trials.stream().map(Trial::eventsPerSecond).toList();
        double median = median(rates);
        long records = trials.get(0).records();
        double mebibytesPerSecond = median * ((double) bytes / records) / (1024 * 1024);
        return new StageResult(stage, guarantee, records, rates, median, mebibytesPerSecond,
                produceRate == null ? null : median / produceRate, null);
    }

    /** The Streams settings every measured app runs with: the apps' own, RocksDB bounded by its default budget. */
    private static Map<String, Object> streamsSettings(KafkaClientSettings clients) {
        Map<String, Object> settings = new java.util.HashMap<>(clients.streams("unused"));
        settings.putAll(BoundedRocksDbMemory.streamsProperties(ReproConfig.of(Map.of())));
        return settings;
    }

    /** The median; the mean of the two middle values for an even count. */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The producer settings that write a stage's input (not timed): one request in flight per
     * partition. With Kafka 4.3.1's default of five, the idempotent producer writing a stage's
     * input now and then restarted a partition's sequence at 0 mid-stream; the broker refused it
     * as out of order until the batches expired (seen 3 times in 5 runs, on 2 cores).
     */
    private static Map<String, Object> seeding(KafkaClientSettings clients) {
        Map<String, Object> settings = new java.util.HashMap<>(clients.producer());
        settings.put("max.in.flight.requests.per.connection", "1");
        return settings;
    }

    private void createTopic(Admin admin, String topic) {
        try {
            admin.createTopics(List.of(new NewTopic(topic, settings.partitions(), (short) 1))).all().get(30, TimeUnit.SECONDS);
            new TopicProvisioner(admin, Duration.ofSeconds(30)).awaitLeaders(List.of(topic));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the benchmark topic " + topic + ": " + e.getMessage(), e);
        }
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
