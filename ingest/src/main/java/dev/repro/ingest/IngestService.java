package dev.repro.ingest;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.repro.app.RunningApp;
import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.ingest.archive.ArchiveWriter;
import dev.repro.ingest.archive.Submission;
import dev.repro.ingest.event.EventDecoder;
import dev.repro.ingest.event.Limits;
import dev.repro.ingest.http.EventIntake;
import dev.repro.ingest.http.IngestMetrics;
import dev.repro.ingest.http.IngestServer;
import dev.repro.ingest.http.RequestAuthenticator;
import dev.repro.ingest.routing.ArchiveRoutingTopology;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.StreamsAppRunner;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * Ingest as one running unit: the HTTP API, the transactional archive writer behind it, and the
 * exactly-once router that derives the typed topics from the archive.
 */
public final class IngestService implements RunningApp {

    /** The router's Kafka Streams application id, after the topic prefix. */
    public static final String ROUTER_APPLICATION = "ingest-router";
    /** Events whose time is further ahead of this server's clock are refused (the broker would refuse them too). */
    static final Duration MAX_FUTURE_SKEW = Duration.ofMinutes(5);
    /** Decodes the router can take from the HTTP threads: a few seconds of a busy ingest, a few MiB. */
    static final int REMEMBERED_DECODES = 4_096;

    private final IngestServer server;
    private final ArchiveWriter writer;
    private final StreamsAppRunner router;
    private final Admin admin;

    private IngestService(IngestServer server, ArchiveWriter writer, StreamsAppRunner router, Admin admin) {
        this.server = server;
        this.writer = writer;
        this.router = router;
        this.admin = admin;
    }

    public static IngestService start(ReproConfig config) throws IOException {
        IngestSettings settings = IngestSettings.from(config);
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), config.topicPartitions(), config.topicReplicationFactor());
        AvroSerdes serdes = AvroSerdes.create();
        // shared by the HTTP threads and the router, which takes each event's decode from them (RecentDecodes)
        EventDecoder decoder = new EventDecoder(Limits.defaults(), REMEMBERED_DECODES);
        KafkaClientSettings clients = new KafkaClientSettings(config);

        IngestMetrics[] metricsRef = new IngestMetrics[1];
        ArchiveWriter writer = new ArchiveWriter(
                () -> new KafkaProducer<>(ArchiveWriter.producerSettings(clients.producer(), settings.transactionalId(),
                        settings.ackTimeout()), new StringSerializer(), new ByteArraySerializer()),
                settings.maxBatch(), settings.ackTimeout().multipliedBy(3), new ArchiveWriter.WriterListener() {
                    @Override
                    public void committed(int submissions, long nanos) {
                        metricsRef[0].transaction(true);
                    }

                    @Override
                    public void failed(int submissions, Submission.Outcome outcome, String reason) {
                        metricsRef[0].transaction(false);
                    }
                });
        IngestMetrics metrics = new IngestMetrics(writer::isReady);
        metricsRef[0] = metrics;
        writer.start();

        Admin admin = Admin.create(clients.admin());
        IngestServer server = null;
        try {
            KafkaReadiness readiness = new KafkaReadiness(admin,
                    List.of(catalog.name(TopicId.ARCHIVE), catalog.name(TopicId.REJECTED)), writer::isReady);
            EventIntake intake = new EventIntake(decoder, writer,
                    new RequestAuthenticator(settings.tokens(), settings.hmacSecrets()), serdes, catalog, metrics,
                    settings.rememberedIds(), settings.ackTimeout(), MAX_FUTURE_SKEW, Clock.systemUTC());
            server = new IngestServer(settings.bind(), settings.threads(), settings.maxBodyBytes(), intake, metrics, readiness)
                    .start();
            StreamsAppRunner router = StreamsAppRunner.start(ROUTER_APPLICATION,
                    ArchiveRoutingTopology.build(catalog, serdes, decoder, settings.dedupeRetention()),
                    config, config.topicPrefix() + ROUTER_APPLICATION, List.of());
            return new IngestService(server, writer, router, admin);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            writer.close();
            admin.close();
            if (e instanceof java.net.BindException) {
                throw new dev.repro.config.ConfigException(IngestSettings.BIND + ": cannot listen on " + settings.bind()
                        + ": " + e.getMessage() + " (is another ingest running?)");
            }
            throw e;
        }
    }

    /** The HTTP base URL. */
    public String url() {
        return server.url();
    }

    @Override
    public List<String> endpoints() {
        return List.of(server.url() + "/v1/events", server.url() + "/metrics");
    }

    @Override
    public boolean isReady() {
        return writer.isReady() && router.isReady();
    }

    /** Stops taking requests first, then lets the writer finish its transaction, then stops the router. */
    @Override
    public void close() {
        server.close();
        writer.close();
        router.close();
        admin.close();
    }
}
