package dev.repro.ingest.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.repro.config.KafkaClientSettings;
import dev.repro.config.ReproConfig;
import dev.repro.testkit.KafkaBroker;

/** The archive writer on a real broker: group commit, cancellation, and Kafka going away. */
class ArchiveWriterTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(3);

    private final List<String> failures = new CopyOnWriteArrayList<>();

    private ArchiveWriter writer(String txId) {
        ReproConfig config = ReproConfig.of(Map.of(ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers()));
        Map<String, Object> props = ArchiveWriter.producerSettings(new KafkaClientSettings(config).producer(), txId, ACK_TIMEOUT);
        return new ArchiveWriter(() -> new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
                500, ACK_TIMEOUT.multipliedBy(3), new ArchiveWriter.WriterListener() {
                    @Override
                    public void committed(int submissions, long nanos) {
                    }

                    @Override
                    public void failed(int submissions, Submission.Outcome outcome, String reason) {
                        failures.add(outcome + ": " + reason);
                    }
                });
    }

    private static String topic() throws Exception {
        String topic = KAFKA.uniqueName("archive");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static List<ConsumerRecord<String, byte[]>> readCommitted(String topic, int atLeast) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("isolation.level", "read_committed");
        props.put("group.id", KAFKA.uniqueName("reader"));
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (records.size() < atLeast || emptyPolls < 3)) {
                var batch = consumer.poll(Duration.ofMillis(300));
                batch.forEach(records::add);
                emptyPolls = batch.isEmpty() && records.size() >= atLeast ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }

    @Test
    void shouldCommitConcurrentSubmissionsInSharedTransactionsExactlyOnce() throws Exception {
        String topic = topic();
        int count = 800;
        try (ArchiveWriter writer = writer(KAFKA.uniqueName("tx")).start()) {
            ExecutorService clients = Executors.newFixedThreadPool(16);
            List<java.util.concurrent.Future<Submission.Result>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "event-" + i;
                results.add(clients.submit(() -> writer.submit(List.of(new ProducerRecord<>(topic, key, key.getBytes())))
                        .await(ACK_TIMEOUT)));
            }
            for (var r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Submission.Outcome.COMMITTED);
            }
            clients.shutdown();
        }
        List<ConsumerRecord<String, byte[]>> seen = readCommitted(topic, count);
        assertThat(seen).hasSize(count);
        assertThat(seen.stream().map(ConsumerRecord::key).distinct().count()).isEqualTo(count);
    }

    @Test
    void shouldNeverWriteASubmissionCancelledBeforeTheWriterTookIt() throws Exception {
        String topic = topic();
        ArchiveWriter writer = writer(KAFKA.uniqueName("tx")); // not started: nothing is taken from the queue
        Submission submission = writer.submit(List.of(new ProducerRecord<>(topic, "late", new byte[] {1})));
        Submission.Result result = submission.await(Duration.ofMillis(200));
        assertThat(result.outcome()).isEqualTo(Submission.Outcome.NOT_WRITTEN);
        writer.start();
        Submission after = writer.submit(List.of(new ProducerRecord<>(topic, "next", new byte[] {2})));
        assertThat(after.await(ACK_TIMEOUT).outcome()).isEqualTo(Submission.Outcome.COMMITTED);
        writer.close();
        assertThat(readCommitted(topic, 1)).extracting(ConsumerRecord::key).containsExactly("next");
    }

    @Test
    void shouldAnswerWithinABoundWhenKafkaIsDownAndWriteAgainOnceItIsBack() throws Exception {
        String topic = topic();
        try (ArchiveWriter writer = writer(KAFKA.uniqueName("tx")).start()) {
            assertThat(writer.submit(List.of(new ProducerRecord<>(topic, "before", new byte[] {1}))).await(ACK_TIMEOUT).outcome())
                    .isEqualTo(Submission.Outcome.COMMITTED);

            KAFKA.stopBroker();
            long t0 = System.nanoTime();
            Submission.Result down = writer.submit(List.of(new ProducerRecord<>(topic, "during", new byte[] {2}))).await(ACK_TIMEOUT);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertThat(down.outcome()).isNotEqualTo(Submission.Outcome.COMMITTED);
            assertThat(seconds).as("answered within a bound").isLessThan(ACK_TIMEOUT.multipliedBy(5).toSeconds());
            assertThat(writer.isReady()).isFalse();

            KAFKA.startBroker();
            Submission.Result back = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                back = writer.submit(List.of(new ProducerRecord<>(topic, "after", new byte[] {3}))).await(ACK_TIMEOUT);
                if (back.outcome() == Submission.Outcome.COMMITTED) {
                    break;
                }
            }
            assertThat(back.outcome()).isEqualTo(Submission.Outcome.COMMITTED);
            if (down.outcome() == Submission.Outcome.NOT_WRITTEN) {
                assertThat(readCommitted(topic, 2)).extracting(ConsumerRecord::key).contains("before", "after")
                        .doesNotContain("during");
            }
        }
        assertThat(failures).isNotEmpty();
    }
}
