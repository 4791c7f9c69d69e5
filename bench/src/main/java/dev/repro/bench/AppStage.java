package dev.repro.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.kafka.streams.Topology;

import dev.repro.config.ReproConfig;
import dev.repro.drift.DriftConfig;
import dev.repro.drift.DriftTopology;
import dev.repro.serde.AvroSerdes;
import dev.repro.sli.SliConfig;
import dev.repro.sli.SliTopology;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.verifier.VerifierConfig;
import dev.repro.verifier.VerifierTopology;

/**
 * One stream app measured: its real topology catching up with exactly-once on the load
 * generator's records of its own input topics, side by side with the two ceilings over that same
 * input (so the ratios compare records of one size); and, for the scale runs, on one record per
 * key.
 */
final class AppStage {

    /** The stream apps measured, the topics each reads, and the topic its scale runs write. */
    enum App {
        VERIFIER("verifier", List.of(TopicId.BUILDS, TopicId.RUNS), TopicId.BUILDS),
        SLI_AGGREGATOR("sli-aggregator", List.of(TopicId.BUILDS, TopicId.RUNS, TopicId.TESTS, TopicId.REBUILD_VERDICTS,
                TopicId.REPLAY_VERDICTS, TopicId.DRIFT), TopicId.BUILDS),
        DRIFT_DETECTOR("drift-detector", List.of(TopicId.DESIRED, TopicId.DEPLOYMENTS), TopicId.DEPLOYMENTS);

        private final String stageName;
        private final List<TopicId> inputs;
        private final TopicId scaleInput;

        App(String stageName, List<TopicId> inputs, TopicId scaleInput) {
            this.stageName = stageName;
            this.inputs = inputs;
            this.scaleInput = scaleInput;
        }

        /** The name {@code --only} knows it by. */
        String stageName() {
            return stageName;
        }

        /** The topics it reads, all fed by the load generator. */
        List<TopicId> inputs() {
            return inputs;
        }

        /** Its real topology under {@code catalog} and {@code applicationId}, with its default settings. */
        Topology topology(TopicCatalog catalog, String applicationId, ReproConfig brokerConfig) {
            return switch (this) {
                case VERIFIER -> new VerifierTopology(catalog, AvroSerdes.create(), new VerifierConfig(applicationId,
                        VerifierConfig.DEFAULT_ORIGINAL_WAIT, VerifierConfig.DEFAULT_STATE_RETENTION)).build();
                case SLI_AGGREGATOR -> {
                    SliConfig d = SliConfig.from(brokerConfig);
                    yield new SliTopology(catalog, AvroSerdes.create(), new SliConfig(applicationId, d.bind(), d.grace(),
                            d.flapWindow(), d.burnMinEvents(), d.targets(), d.productionEnvironments())).build();
                }
                case DRIFT_DETECTOR -> new DriftTopology(catalog, AvroSerdes.create(), DriftConfig.defaults(applicationId)).build();
            };
        }

        /**
         * Scale-run record number {@code sequence} with key number {@code key}: a build of its own
         * recipe (verifier, SLI aggregator), or a deployment to its own target (drift detector,
         * three clusters per service).
         */
        SampleEvents.Keyed scaleRecord(SampleEvents samples, int sequence, int key) {
            return scaleInput == TopicId.BUILDS ? samples.keyedBuild(sequence, key) : samples.keyedDeployment(sequence, key);
        }
    }

    private final BenchContext context;
    private final App app;

    AppStage(BenchContext context, App app) {
        this.context = context;
        this.app = app;
    }

    String name() {
        return app.stageName();
    }

    /**
     * The produce and pass-through ceilings and the dedupe floor over the app's input, then the app
     * catching up on it: one warm-up pass of the app (not counted), then the trials, each on a fresh
     * catalog of topics ({@code bench.<name>.<trial>.}) and application id.
     */
    List<StageResult> measure() throws InterruptedException {
        BenchSettings settings = context.settings();
        context.say(String.format("[%s] generating %,d records of %s …", name(), settings.records(),
                StageInput.describe(app.inputs())));
        StageInput input = StageInput.generate(settings.load(), app.inputs(), settings.records(), settings.partitions(),
                AvroSerdes.create());
        String described = input.describe();
        List<Trial> produceTrials = new ArrayList<>();
        List<Trial> passThroughTrials = new ArrayList<>();
        List<Trial> floorTrials = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        StreamsCatchUp catchUp = context.catchUp(BenchContext.TRIAL_TIMEOUT);
        for (int i = 0; i <= settings.trials(); i++) {
            String prefix = "bench." + name() + "." + i + ".";
            TopicCatalog catalog = context.provision(prefix);
            context.seedingProducer(BenchContext.TRIAL_TIMEOUT).measure(input, catalog::name);
            List<String> reads = app.inputs().stream().map(catalog::name).toList();
            if (i > 0) {
                TopicCatalog ceilingTopics = TopicCatalog.of(prefix + "ceiling.", settings.partitions(), (short) 1);
                app.inputs().forEach(t -> context.createTopic(ceilingTopics.name(t)));
                produceTrials.add(context.ceilingProducer().measure(input, ceilingTopics::name));
                String output = prefix + "pass-through.out";
                context.createTopic(output);
                passThroughTrials.add(catchUp.measure("bench-" + name() + "-pass-through-" + i,
                        StreamsCatchUp.passThrough(reads, output), reads, input.size(), input.bytes()));
                String floorOutput = prefix + "dedupe-floor.out";
                context.createTopic(floorOutput);
                floorTrials.add(catchUp.measure("bench-" + name() + "-dedupe-floor-" + i,
                        DedupeFloor.topology(reads, floorOutput), reads, input.size(), input.bytes()));
            }
            String applicationId = "bench-" + name() + "-" + i;
            Trial trial = catchUp.measure(applicationId, app.topology(catalog, applicationId, context.brokerConfig()), reads,
                    input.size(), input.bytes());
            if (i == 0) {
                context.say(String.format("[%s catch-up] warm-up pass (not counted): %,.0f events/s", name(), trial.eventsPerSecond()));
                continue;
            }
            trials.add(trial);
            Trial passThrough = passThroughTrials.get(i - 1);
            context.say(String.format("[%s catch-up] trial %d/%d: %,.0f events/s, %s, started in %,.0f ms (its input: "
                    + "produce %,.0f, pass-through %,.0f, %s, started in %,.0f ms; dedupe floor %,.0f)", name(), i,
                    settings.trials(), trial.eventsPerSecond(), trial.threads().describe(), trial.startup().nanos() / 1e6,
                    produceTrials.get(i - 1).eventsPerSecond(), passThrough.eventsPerSecond(), passThrough.threads().describe(),
                    passThrough.startup().nanos() / 1e6, floorTrials.get(i - 1).eventsPerSecond()));
        }
        StageResult produce = StageResult.of(name() + " input: broker produce", Ceilings.PRODUCE_GUARANTEE, described,
                produceTrials, input.bytes(), null);
        StageResult passThrough = StageResult.of(name() + " input: streams pass-through", Ceilings.STREAMS_GUARANTEE, described,
                passThroughTrials, input.bytes(), produce.eventsPerSecond());
        StageResult floor = StageResult.of(name() + " input: streams dedupe floor", Ceilings.STREAMS_GUARANTEE, described,
                floorTrials, input.bytes(), produce.eventsPerSecond()).withPassThrough(passThrough.eventsPerSecond());
        StageResult catchUpResult = StageResult.of(name() + " catch-up", Ceilings.STREAMS_GUARANTEE, described, trials,
                input.bytes(), produce.eventsPerSecond()).withPassThrough(passThrough.eventsPerSecond());
        return List.of(produce, passThrough, floor, catchUpResult);
    }

    /**
     * The app catching up on {@code keys} records with {@code keys} distinct keys (one record per
     * key, made as they are sent, so a million need not fit in memory): its rate, and the size its
     * state directory has on disk once it stopped.
     */
    ScaleResult scale(int keys) throws InterruptedException {
        BenchSettings settings = context.settings();
        TopicCatalog catalog = context.provision("bench." + name() + ".scale-" + keys + ".");
        context.say(String.format("[%s at %,d keys] writing its input …", name(), keys));
        SampleEvents samples = new SampleEvents(42, AvroSerdes.create());
        Trial written = context.seedingProducer(BenchContext.SCALE_TIMEOUT).measure(catalog.name(app.scaleInput), keys,
                i -> app.scaleRecord(samples, i, i),
                (key, partitions) -> StageInput.partition(app.scaleInput, key, partitions));
        String applicationId = "bench-" + name() + "-scale-" + keys;
        StreamsCatchUp catchUp = context.catchUp(BenchContext.SCALE_TIMEOUT);
        Trial trial = catchUp.measure(applicationId, app.topology(catalog, applicationId, context.brokerConfig()),
                app.inputs().stream().map(catalog::name).toList(), keys, written.bytes());
        long stateBytes = sizeOf(context.stateDir().resolve(applicationId));
        context.say(String.format("[%s at %,d keys] %,.0f events/s, state %,.1f MiB on disk, RocksDB memory at most %,.1f MiB",
                name(), keys, trial.eventsPerSecond(), stateBytes / (1024.0 * 1024), catchUp.peakRocksDbBytes() / (1024.0 * 1024)));
        return new ScaleResult(name(), keys, trial.records(), trial.eventsPerSecond(), stateBytes, catchUp.peakRocksDbBytes());
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
}
