package dev.repro.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The topics of an integration test: created to keep every record, then filled with the test's input. */
public final class TestTopics {

    private TestTopics() {
    }

    /**
     * Creates {@code names} with {@code partitions} partitions and replication factor 1, keeping every
     * record ({@code cleanup.policy=delete}, {@code retention.ms=-1}: two runs' outputs are compared
     * record for record, so nothing may be compacted or expire by the old event times of the test data),
     * and waits until every partition has a leader.
     */
    public static void createKeepingEveryRecord(Map<String, Object> adminSettings, Collection<String> names, int partitions)
            throws Exception {
        try (Admin admin = Admin.create(adminSettings)) {
            admin.createTopics(names.stream().map(name -> new NewTopic(name, partitions, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1"))).toList())
                    .all().get(30, TimeUnit.SECONDS);
            Eventually.await("leaders of " + names, Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> haveLeaders(admin, names));
        }
    }

    /** Whether every partition of {@code names} has a leader; false while a new topic is not in the metadata yet. */
    private static boolean haveLeaders(Admin admin, Collection<String> names) throws Exception {
        try {
            return admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream()).allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Sends {@code records} in order and waits until every one is acknowledged. One request in flight:
     * a batch retried after a new topic's first leader change cannot be overtaken by the next one (on
     * Kafka 4.3.1 an idempotent producer writing topics created a moment before sometimes restarted a
     * partition's sequence mid-stream and retried until its batches expired), so each partition holds
     * the records in the order given.
     */
    public static void produce(Map<String, Object> producerSettings, List<ProducerRecord<String, byte[]>> records)
            throws Exception {
        Map<String, Object> settings = new HashMap<>(producerSettings);
        settings.put("max.in.flight.requests.per.connection", "1");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
