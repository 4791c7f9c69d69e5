package dev.repro.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.schema.Alert;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * One test's own alerts and dead-letter topics on the shared broker (a unique prefix), a producer
 * of alerts, and readers of what the forwarder left behind: dead letters and committed offsets.
 */
public final class AlertsOnKafka implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReproConfig config;
    private final TopicCatalog catalog;
    private final KafkaClientSettings clients;
    private final AvroSerdes serdes = AvroSerdes.create();
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final int partitions;

    public AlertsOnKafka(KafkaBroker kafka, int partitions) throws Exception {
        this.config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, kafka.uniquePrefix(), ReproConfig.TOPIC_PARTITIONS, String.valueOf(partitions)));
        this.partitions = partitions;
        this.catalog = TopicCatalog.of(config.topicPrefix(), partitions, (short) 1);
        this.clients = new KafkaClientSettings(config);
        this.admin = Admin.create(clients.admin());
        admin.createTopics(List.of(catalog.spec(TopicId.ALERTS).newTopic(), catalog.spec(TopicId.DEAD_LETTER).newTopic()))
                .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        this.producer = new KafkaProducer<>(clients.producer(), new StringSerializer(), new ByteArraySerializer());
    }

    /** The Kafka connection and topic prefix, for the forwarder's configuration. */
    public ReproConfig config() {
        return config;
    }

    public String alertsTopic() {
        return catalog.name(TopicId.ALERTS);
    }

    /** Writes {@code alert} keyed by its key, stamped now; returns where it landed. */
    public RecordMetadata produce(Alert alert) throws Exception {
        return produceRaw(alert.getKey(), serdes.serialize(alert));
    }

    /** Writes every alert, in order, stamped now; returns where each landed. */
    public List<RecordMetadata> produceAll(List<Alert> alerts) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Alert alert : alerts) {
            sent.add(producer.send(new ProducerRecord<>(alertsTopic(), null, Instant.now().toEpochMilli(), alert.getKey(),
                    serdes.serialize(alert))));
        }
        List<RecordMetadata> landed = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            landed.add(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        return landed;
    }

    /** Writes {@code value} as it is, keyed {@code key}, stamped now. */
    public RecordMetadata produceRaw(String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(alertsTopic(), null, Instant.now().toEpochMilli(), key, value))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every dead letter written so far (reads to the end). */
    public List<RejectedEvent> deadLetters() {
        List<RejectedEvent> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(clients.consumer(null), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(catalog.name(TopicId.DEAD_LETTER)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(serdes.deserialize(RejectedEvent.class, record.value()));
                }
            }
        }
        return letters;
    }

    /** The group's committed offsets on the alerts topic, by partition number. */
    public Map<Integer, Long> committed(String groupId) throws Exception {
        Map<Integer, Long> offsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        committed.forEach((tp, offset) -> {
            if (tp.topic().equals(alertsTopic()) && offset != null) {
                offsets.put(tp.partition(), offset.offset());
            }
        });
        return offsets;
    }

    /** The end offset of each partition of the alerts topic (read-committed). */
    public Map<Integer, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(alertsTopic(), p), OffsetSpec.latest());
        }
        Map<Integer, Long> end = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).forEach((tp, info) -> end.put(tp.partition(), info.offset()));
        return end;
    }

    /** Whether {@code groupId} has committed every record of the alerts topic. */
    public boolean committedEverything(String groupId) {
        try {
            return committed(groupId).equals(endOffsets());
        } catch (Exception e) {
            return false;
        }
    }

    /** How the broker sees the group now. */
    public ConsumerGroupDescription group(String groupId) throws Exception {
        return admin.describeConsumerGroups(List.of(groupId)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(groupId);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(10));
    }
}
