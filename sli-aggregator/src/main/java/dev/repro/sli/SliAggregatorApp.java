package dev.repro.sli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.app.ReproApp;
import dev.repro.app.RunningApp;
import dev.repro.config.ReproConfig;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.RecordJson;
import dev.repro.streams.BoundedThreadReplacement;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * The sli-aggregator as {@code repro up} starts it (registered in {@code META-INF/services});
 * {@link SliAggregatorMain} starts the same alone. It runs its Kafka Streams app with the repro
 * settings of {@link StreamsAppRunner#properties} (exactly-once, dead letters, state dir) and the
 * bounded thread replacement, and serves the HTTP API from the app's stores, which is why it
 * holds the {@link KafkaStreams} itself rather than through {@link StreamsAppRunner}.
 */
public final class SliAggregatorApp implements ReproApp {

    public static final String NAME = "sli-aggregator";

    private static final Logger LOG = LoggerFactory.getLogger(SliAggregatorApp.class);

    @Override
    public String name() {
        return NAME;
    }

    /** After the stream apps whose verdicts it reads. */
    @Override
    public int order() {
        return 40;
    }

    @Override
    public Running start(ReproConfig config) {
        SliConfig settings = SliConfig.from(config);
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        AvroSerdes serdes = AvroSerdes.create();
        SliTopology topology = new SliTopology(catalog, serdes, settings);
        Properties props = StreamsAppRunner.properties(config, settings.applicationId());
        KafkaStreams streams = new KafkaStreams(topology.build(), props);
        Running running = new Running(streams);
        streams.setStateListener(running::onStateChange);
        streams.setUncaughtExceptionHandler(BoundedThreadReplacement.withDefaults(NAME));
        SliQueries queries = new SliQueries(new SliQueries.StoreAccess() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
            }
        }, settings.targets());
        try {
            running.server = new SliHttpServer(settings.bind(), queries, new RecordJson(serdes), running::isReady).start();
        } catch (IOException e) {
            streams.close(Duration.ZERO);
            throw new UncheckedIOException(SliConfig.BIND + ": cannot listen on " + settings.bind() + " (" + e.getMessage() + ")", e);
        }
        LOG.info("{}: starting as application id {} with state in {}", NAME, settings.applicationId(),
                props.get(StreamsConfig.STATE_DIR_CONFIG));
        streams.start();
        running.endpoints = List.of(running.server.url() + " (/metrics, /v1/sli, /v1/alerts, /v1/verdicts, /v1/drift)",
                String.join(", ", topology.inputTopics()) + " → " + catalog.name(TopicId.SLI) + ", " + catalog.name(TopicId.ALERTS));
        return running;
    }

    /** The started app: Kafka Streams plus its HTTP server. */
    public static final class Running implements RunningApp {

        private final KafkaStreams streams;
        private final CountDownLatch running = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
        private volatile SliHttpServer server;
        private volatile List<String> endpoints = List.of();

        private Running(KafkaStreams streams) {
            this.streams = streams;
        }

        private void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
            state = now;
            LOG.info("{}: {} -> {}", NAME, before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                LOG.error("{}: stopped in ERROR; it processes nothing until restarted", NAME);
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                running.countDown();
                stopped.countDown();
            }
        }

        /** The HTTP base URL, e.g. {@code http://127.0.0.1:8081}. */
        public String url() {
            return server.url();
        }

        @Override
        public List<String> endpoints() {
            return endpoints;
        }

        @Override
        public boolean isReady() {
            return state == KafkaStreams.State.RUNNING;
        }

        public KafkaStreams.State state() {
            return state;
        }

        public boolean awaitReady(Duration timeout) throws InterruptedException {
            running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return isReady();
        }

        public KafkaStreams.State awaitTermination() throws InterruptedException {
            stopped.await();
            return state;
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
            if (!streams.close(StreamsAppRunner.DEFAULT_CLOSE_TIMEOUT)) {
                LOG.warn("{}: Kafka Streams did not stop within {}; its threads may still be finishing", NAME,
                        StreamsAppRunner.DEFAULT_CLOSE_TIMEOUT);
            }
            stopped.countDown();
            running.countDown();
        }
    }
}
