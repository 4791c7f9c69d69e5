package dev.repro.alerts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.alerts.delivery.AlertForwarder;
import dev.repro.alerts.delivery.Backoff;
import dev.repro.alerts.http.ForwarderHttpServer;
import dev.repro.alerts.http.ForwarderMetrics;
import dev.repro.alerts.target.AlertTarget;
import dev.repro.alerts.target.AlertmanagerTarget;
import dev.repro.alerts.target.PagerDutyTarget;
import dev.repro.alerts.target.Redaction;
import dev.repro.alerts.target.RunbookLinks;
import dev.repro.alerts.target.TargetClient;
import dev.repro.alerts.target.WebhookTarget;
import dev.repro.app.ReproApp;
import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.RecordJson;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * The alert forwarder: reads {@code repro.alerts} and forwards every change to Alertmanager, a
 * webhook and PagerDuty ({@link AlertForwarder}), serving {@code /metrics}, {@code /healthz} and
 * {@code /readyz}. It is deliberately not registered in {@code META-INF/services}: {@code repro up}
 * does not start it; {@code repro alerts forward} and {@link AlertForwarderMain} do, each with
 * {@link #start(ReproConfig)}, or with {@link #start(ReproConfig, ForwarderSettings)} for settings
 * built in code.
 */
public final class AlertForwarderApp implements ReproApp {

    public static final String NAME = "alert-forwarder";

    private static final Logger LOG = LoggerFactory.getLogger(AlertForwarderApp.class);

    @Override
    public String name() {
        return NAME;
    }

    /** After every app that writes alerts. */
    @Override
    public int order() {
        return 50;
    }

    /** Starts with the settings in {@code config} ({@link ForwarderSettings#from}). */
    @Override
    public Running start(ReproConfig config) {
        return start(config, ForwarderSettings.from(config));
    }

    /**
     * Starts with {@code settings}; {@code config} gives the Kafka connection ({@code REPRO_BOOTSTRAP_SERVERS},
     * {@code KAFKA_*}) and the topic names ({@code REPRO_TOPIC_PREFIX}). Returns once the loop and
     * the HTTP server are started (not yet in the group).
     *
     * @throws UncheckedIOException when the HTTP address cannot be bound (the message names {@value ForwarderSettings#BIND})
     * @throws org.apache.kafka.common.KafkaException when a Kafka client cannot be built from the {@code KAFKA_*} settings
     */
    public Running start(ReproConfig config, ForwarderSettings settings) {
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        String topic = catalog.name(TopicId.ALERTS);
        AvroSerdes serdes = AvroSerdes.create();
        List<AlertTarget> targets = targets(settings, new RecordJson(serdes));
        KafkaClientSettings clients = new KafkaClientSettings(config);
        Map<String, Object> consumerProps = clients.consumer(settings.groupId());
        consumerProps.putIfAbsent("client.id", NAME + "-" + settings.groupId());
        ForwarderMetrics metrics = new ForwarderMetrics(topic, settings.configuredTargets());
        TargetClient client = new TargetClient(settings.connectTimeout(), settings.requestTimeout(),
                new Redaction(settings.secrets()), Clock.systemUTC());
        KafkaConsumer<String, byte[]> consumer;
        KafkaProducer<String, byte[]> producer;
        try {
            consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        try {
            producer = new KafkaProducer<>(clients.producer(), new StringSerializer(), new ByteArraySerializer());
        } catch (RuntimeException e) {
            consumer.close();
            client.close();
            throw e;
        }
        AlertForwarder forwarder = new AlertForwarder(new AlertForwarder.Parts(consumer, producer, topic,
                catalog.name(TopicId.DEAD_LETTER), targets, settings.routing(), client,
                new Backoff(settings.backoffInitial(), settings.backoffMax(), () -> ThreadLocalRandom.current().nextDouble()),
                metrics, serdes, Clock.systemUTC()),
                settings.alertmanager().map(ForwarderSettings.Alertmanager::resendInterval), settings.maxPending(),
                settings.requestTimeout().plus(Duration.ofSeconds(2)));
        ForwarderHttpServer server;
        try {
            server = new ForwarderHttpServer(settings.bind(), metrics, forwarder::alive, forwarder::ready).start();
        } catch (IOException e) {
            consumer.close();
            producer.close();
            client.close();
            throw new UncheckedIOException(ForwarderSettings.BIND + ": cannot listen on " + settings.bind() + " ("
                    + e.getMessage() + ")", e);
        }
        forwarder.start();
        List<String> endpoints = List.of(server.url() + " (/metrics, /healthz, /readyz)",
                topic + " (group " + settings.groupId() + ") → " + describe(settings));
        LOG.info("{}: reading {} as group {}; {}; targets: {}", NAME, topic, settings.groupId(),
                settings.routing().describe(), describe(settings));
        return new Running(forwarder, server, endpoints);
    }

    private static List<AlertTarget> targets(ForwarderSettings settings, RecordJson recordJson) {
        RunbookLinks runbooks = new RunbookLinks(settings.runbookBaseUrl());
        List<AlertTarget> targets = new ArrayList<>();
        settings.alertmanager().ifPresent(am -> targets.add(new AlertmanagerTarget(am, settings.routing(), runbooks, recordJson)));
        settings.webhook().ifPresent(webhook -> targets.add(new WebhookTarget(webhook, recordJson)));
        settings.pagerDuty().ifPresent(pd -> targets.add(new PagerDutyTarget(pd, settings.routing(), runbooks, recordJson)));
        return targets;
    }

    /** The targets by origin only: a URL's path or query may be a credential. */
    private static String describe(ForwarderSettings settings) {
        List<String> parts = new ArrayList<>();
        settings.alertmanager().ifPresent(am -> parts.add("alertmanager " + Redaction.origin(am.url())));
        settings.webhook().ifPresent(webhook -> parts.add("webhook " + Redaction.origin(webhook.url())
                + (webhook.hmacSecret().isPresent() ? " (signed)" : "")));
        settings.pagerDuty().ifPresent(pd -> parts.add("pagerduty " + Redaction.origin(pd.url())));
        return String.join(", ", parts);
    }

    /** The started forwarder: its delivery loop and its HTTP server. */
    public static final class Running implements RunningApp {

        private final AlertForwarder forwarder;
        private final ForwarderHttpServer server;
        private final List<String> endpoints;

        private Running(AlertForwarder forwarder, ForwarderHttpServer server, List<String> endpoints) {
            this.forwarder = forwarder;
            this.server = server;
            this.endpoints = endpoints;
        }

        /** The HTTP base URL, e.g. {@code http://127.0.0.1:8082}. */
        public String url() {
            return server.url();
        }

        @Override
        public List<String> endpoints() {
            return endpoints;
        }

        /** In its consumer group with its partitions, and consuming. */
        @Override
        public boolean isReady() {
            return forwarder.ready();
        }

        /** Blocks until the forwarder stops; returns the failure that stopped it, if one did. */
        public Optional<Throwable> awaitTermination() throws InterruptedException {
            return forwarder.awaitTermination();
        }

        /** Stops the loop (letting requests in flight finish and committing what was delivered), then the HTTP server. */
        @Override
        public void close() {
            forwarder.close();
            server.close();
        }
    }
}
