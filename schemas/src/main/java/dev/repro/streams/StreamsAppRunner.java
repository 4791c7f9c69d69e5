package dev.repro.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * Runs one Kafka Streams app the repro way: exactly-once settings from
 * {@link KafkaClientSettings#streams}, undecodable records to the dead-letter topic
 * ({@link DeadLetterHandler}), a bounded thread-replacement policy
 * ({@link BoundedThreadReplacement}), state under {@link #stateDir}, readiness from the state
 * listener, and a close bounded by a timeout. It is the {@link RunningApp} that
 * {@code repro up} holds, and what an app's {@code main} waits on.
 */
public final class StreamsAppRunner implements RunningApp {

    /** Directory of every Streams app's local state (one sub-directory per application id). */
    public static final String STATE_DIR = "REPRO_STATE_DIR";
    /** Where {@code repro up} keeps its data; the default state dir is {@code <REPRO_HOME>/state}. */
    public static final String HOME = "REPRO_HOME";
    public static final String DEFAULT_HOME = ".repro";
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(StreamsAppRunner.class);

    private final String name;
    private final KafkaStreams streams;
    private final List<String> endpoints;
    private final Duration closeTimeout;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

    private StreamsAppRunner(String name, KafkaStreams streams, List<String> endpoints, Duration closeTimeout) {
        this.name = name;
        this.streams = streams;
        this.endpoints = List.copyOf(endpoints);
        this.closeTimeout = closeTimeout;
    }

    /**
     * Kafka Streams properties for {@code applicationId}: {@link KafkaClientSettings#streams}
     * (exactly_once_v2, the user's {@code KAFKA_*} overrides), the state dir, the dead-letter
     * handler writing to the catalog's dead-letter topic, and RocksDB bounded by
     * {@link BoundedRocksDbMemory}. A {@code KAFKA_*} override of any of these wins.
     */
    public static Properties properties(ReproConfig config, String applicationId) {
        Properties props = new Properties();
        props.putAll(new KafkaClientSettings(config).streams(applicationId));
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir(config).toString());
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, catalog.name(TopicId.DEAD_LETTER));
        BoundedRocksDbMemory.streamsProperties(config).forEach(props::putIfAbsent);
        return props;
    }

    /** {@code REPRO_STATE_DIR}, else {@code <REPRO_HOME>/state} ({@code ./.repro/state} by default). */
    public static Path stateDir(ReproConfig config) {
        String explicit = config.get(STATE_DIR, "");
        if (!explicit.isBlank()) {
            return Path.of(explicit.strip()).toAbsolutePath().normalize();
        }
        String home = config.get(HOME, "");
        return Path.of(home.isBlank() ? DEFAULT_HOME : home.strip()).resolve("state").toAbsolutePath().normalize();
    }

    /** Starts {@code topology} as {@code applicationId} with {@link #properties}; returns once started (not caught up). */
    public static StreamsAppRunner start(String name, Topology topology, ReproConfig config, String applicationId,
            List<String> endpoints) {
        return start(name, topology, properties(config, applicationId), endpoints, DEFAULT_CLOSE_TIMEOUT);
    }

    /** Starts {@code topology} with exactly these properties. */
    public static StreamsAppRunner start(String name, Topology topology, Properties properties, List<String> endpoints,
            Duration closeTimeout) {
        KafkaStreams streams = new KafkaStreams(topology, properties);
        StreamsAppRunner runner = new StreamsAppRunner(name, streams, endpoints, closeTimeout);
        streams.setStateListener(runner::onStateChange);
        streams.setUncaughtExceptionHandler(BoundedThreadReplacement.withDefaults(name));
        LOG.info("{}: starting as application id {} with state in {}", name,
                properties.get(StreamsConfig.APPLICATION_ID_CONFIG), properties.get(StreamsConfig.STATE_DIR_CONFIG));
        streams.start();
        return runner;
    }

    private void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        state = now;
        LOG.info("{}: {} -> {}", name, before, now);
        if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
        }
        if (now == KafkaStreams.State.ERROR) {
            LOG.error("{}: stopped in ERROR; it processes nothing until restarted", name);
        }
        if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            running.countDown();
            stopped.countDown();
        }
    }

    @Override
    public List<String> endpoints() {
        return endpoints;
    }

    /** RUNNING: assigned its tasks and processing. */
    @Override
    public boolean isReady() {
        return state == KafkaStreams.State.RUNNING;
    }

    /** The latest state the listener reported. */
    public KafkaStreams.State state() {
        return state;
    }

    /** Waits until RUNNING (true) or stopped or timed out (false). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return isReady();
    }

    /** Blocks until the app stops (closed, or shut down after an unrecoverable error); returns its final state. */
    public KafkaStreams.State awaitTermination() throws InterruptedException {
        stopped.await();
        return state;
    }

    /** Closes Kafka Streams, waiting at most the close timeout; logs when it did not stop in time. */
    @Override
    public void close() {
        if (!streams.close(closeTimeout)) {
            LOG.warn("{}: Kafka Streams did not stop within {}; its threads may still be finishing", name, closeTimeout);
        }
        stopped.countDown();
        running.countDown();
    }
}
