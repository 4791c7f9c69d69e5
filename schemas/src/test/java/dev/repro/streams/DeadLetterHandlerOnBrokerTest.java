package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.schema.DesiredState;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;

/** A poison record on a real broker, with exactly_once_v2: it lands on the dead-letter topic and the app goes on. */
class DeadLetterHandlerOnBrokerTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    @TempDir
    java.nio.file.Path stateDir;

    @Test
    void shouldSendAPoisonRecordToTheDeadLetterTopicAndKeepProcessing() throws Exception {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, KAFKA.uniquePrefix(), ReproConfig.TOPIC_PARTITIONS, "1",
                StreamsAppRunner.STATE_DIR, stateDir.toString()));
        TopicCatalog catalog = TopicCatalog.of(config.topicPrefix(), 1, (short) 1);
        KafkaClientSettings clients = new KafkaClientSettings(config);
        try (Admin admin = Admin.create(clients.admin())) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        }
        AvroSerdes serdes = AvroSerdes.create();
        String input = catalog.name(TopicId.DESIRED);
        String output = catalog.name(TopicId.DRIFT) ;
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), serdes.serde(DesiredState.class)).withName("desired-source"))
                .mapValues(d -> d.getGitCommit().getBytes(StandardCharsets.UTF_8), Named.as("commit-of-desired"))
                .to(output, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("commit-sink"));
        Topology topology = builder.build();

        byte[] poison = "{\"this\": \"is json, not avro\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clients.producer(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(input, bytes("svc/prod"), poison)).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(input, bytes("svc/prod"), serdes.serialize(desired("c".repeat(40)))))
                    .get(30, TimeUnit.SECONDS);
        }

        try (StreamsAppRunner app = StreamsAppRunner.start("dead-letter-test", topology, config,
                KAFKA.uniqueName("dlq-app"), List.of(input + " → " + output))) {
            assertThat(app.awaitReady(Duration.ofSeconds(60))).as("app reaches RUNNING").isTrue();

            List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(clients, catalog.name(TopicId.DEAD_LETTER), 1);
            List<ConsumerRecord<byte[], byte[]>> processed = readCommitted(clients, output, 1);

            assertThat(dead).hasSize(1);
            RejectedEvent rejected = serdes.deserialize(RejectedEvent.class, dead.get(0).value());
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("svc/prod");
            assertThat(rejected.getRule()).isEqualTo(DeadLetters.UNDECODABLE);
            assertThat(rejected.getReason()).contains("expected c3 01");
            assertThat(rejected.getRaw().array()).isEqualTo(poison);
            assertThat(rejected.getTopic()).isEqualTo(input);
            assertThat(rejected.getPartition()).isZero();
            assertThat(rejected.getOffset()).isZero();
            assertThat(processed).singleElement()
                    .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("c".repeat(40)));
            assertThat(app.isReady()).as("still running after the poison record").isTrue();
        }
    }

    private static DesiredState desired(String commit) {
        return DesiredState.newBuilder().setId("d1").setSource("https://git.example").setTime(Instant.parse("2026-01-01T00:00:00Z"))
                .setService("svc").setEnvironment("prod").setArtifactDigest("sha256:" + "a".repeat(64)).setGitCommit(commit)
                .build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(KafkaClientSettings clients, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer(null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            seen.addAll(consumer.poll(Duration.ofMillis(500)).records(new org.apache.kafka.common.TopicPartition(topic, 0)));
        }
        return seen;
    }
}
