package dev.repro.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.ingest.IngestService;
import dev.repro.streams.BoundedRocksDbMemory;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicProvisioner;

/**
 * What every stage of one benchmark run shares: the settings, the benchmark's broker and its
 * clients, where progress goes; and the set-up each stage repeats (topics, the apps' settings,
 * starting ingest).
 */
final class BenchContext {

    static final Duration TRIAL_TIMEOUT = Duration.ofMinutes(5);
    static final Duration SCALE_TIMEOUT = Duration.ofMinutes(20);

    private final BenchSettings settings;
    private final ReproConfig brokerConfig;
    private final KafkaClientSettings clients;
    private final Admin admin;
    private final Consumer<String> progress;

    BenchContext(BenchSettings settings, ReproConfig brokerConfig, KafkaClientSettings clients, Admin admin,
                 Consumer<String> progress) {
        this.settings = settings;
        this.brokerConfig = brokerConfig;
        this.clients = clients;
        this.admin = admin;
        this.progress = progress;
    }

    BenchSettings settings() {
        return settings;
    }

    ReproConfig brokerConfig() {
        return brokerConfig;
    }

    KafkaClientSettings clients() {
        return clients;
    }

    Admin admin() {
        return admin;
    }

    void say(String line) {
        progress.accept(line);
    }

    /** One pass of a stage's measurement; pass 0 is the warm-up. */
    interface Pass {
        Trial run(int pass) throws InterruptedException;
    }

    /**
     * Runs {@code pass} once as a warm-up that is not counted, then once per trial of the run,
     * saying each rate as {@code [stage] …}; returns the counted trials.
     */
    List<Trial> warmUpAndTrials(String stage, Pass pass) throws InterruptedException {
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i <= settings.trials(); i++) {
            Trial trial = pass.run(i);
            if (i == 0) {
                say(String.format("[%s] warm-up pass (not counted): %,.0f events/s", stage, trial.eventsPerSecond()));
                continue;
            }
            trials.add(trial);
            say(String.format("[%s] trial %d/%d: %,.0f events/s", stage, i, settings.trials(), trial.eventsPerSecond()));
        }
        return trials;
    }

    Consumer<String> progress() {
        return progress;
    }

    /** Every topic of the contract under {@code prefix}, created with the run's partitions, leaders elected. */
    TopicCatalog provision(String prefix) {
        TopicCatalog catalog = TopicCatalog.of(prefix, settings.partitions(), (short) 1);
        new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        return catalog;
    }

    /** The pipeline's settings on topics of its own under {@code prefix}: ingest on any free port, state in the run's directory. */
    ReproConfig pipelineConfig(String prefix) {
        return brokerConfig.with(ReproConfig.TOPIC_PREFIX, prefix)
                .with(ReproConfig.TOPIC_PARTITIONS, String.valueOf(settings.partitions()))
                .with("REPRO_INGEST_BIND", "127.0.0.1:0")
                .with(StreamsAppRunner.STATE_DIR, stateDir().toString());
    }

    /** Where the measured stream apps keep their state. */
    Path stateDir() {
        return settings.stateDir();
    }

    /** Times stream apps catching up, with the apps' own settings. */
    StreamsCatchUp catchUp(Duration timeout) {
        return new StreamsCatchUp(streamsSettings(), admin, stateDir(), timeout);
    }

    /**
     * The producer every repro producer is (acks=all, idempotent, lz4): the produce ceiling's, on
     * topics nothing reads (it opens their partitions with a record each before the clock starts).
     */
    ProduceCeiling ceilingProducer() {
        return new ProduceCeiling(clients.producer(), TRIAL_TIMEOUT, true);
    }

    /**
     * The producer that writes a stage's input (not timed): one request in flight per partition.
     * With Kafka 4.3.1's default of five, the idempotent producer writing a stage's input now and
     * then restarted a partition's sequence at 0 mid-stream; the broker refused it as out of order
     * until the batches expired (seen 3 times in 5 runs, on 2 cores).
     */
    ProduceCeiling seedingProducer(Duration timeout) {
        Map<String, Object> producer = new HashMap<>(clients.producer());
        producer.put("max.in.flight.requests.per.connection", "1");
        return new ProduceCeiling(producer, timeout, false);
    }

    /** Creates {@code topic} with the run's partitions and waits for its leaders. */
    void createTopic(String topic) {
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

    /** Starts ingest with {@code config} and waits (60 s at most) until it is ready. */
    static IngestService startIngest(ReproConfig config) throws InterruptedException {
        IngestService service;
        try {
            service = IngestService.start(config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start ingest for the benchmark: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!service.isReady()) {
            if (System.nanoTime() > deadline) {
                service.close();
                throw new IllegalStateException("ingest did not become ready within 60 s");
            }
            Thread.sleep(100);
        }
        return service;
    }

    /** The Streams settings every measured app runs with: the apps' own, RocksDB bounded by its default budget. */
    private Map<String, Object> streamsSettings() {
        Map<String, Object> streams = new HashMap<>(clients.streams("unused"));
        streams.putAll(BoundedRocksDbMemory.streamsProperties(ReproConfig.of(Map.of())));
        return streams;
    }
}
