package dev.repro.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepRecordsAcrossAStopAndARestartOnTheSameAddress() throws Exception {
        // Given a fresh broker with one record written
        LocalKafka kafka = LocalKafka.builder(dataDir).heap("512m").build().start();
        try {
            String before = kafka.bootstrapServers();
            createTopic(kafka.bootstrapServers(), "kept");
            produce(kafka.bootstrapServers(), "kept", "k1", "first");

            // When it is stopped and started again from the same data directory
            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            LocalKafka again = LocalKafka.builder(dataDir).heap("512m").build().start();
            kafka = again;

            // Then it serves on the same address and the record is still there
            assertThat(again.bootstrapServers()).isEqualTo(before);
            produce(again.bootstrapServers(), "kept", "k2", "second");
            assertThat(readAll(again.bootstrapServers(), "kept", 2))
                    .containsExactly("k1=first", "k2=second");
        } finally {
            kafka.stop();
        }
    }

    @Test
    void shouldLeaveNoProcessBehindWhenKilled() throws Exception {
        LocalKafka kafka = LocalKafka.builder(dataDir).heap("512m").build().start();
        long pid = kafka.pid();

        kafka.kill();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(kafka.isRunning()).isFalse();
    }

    @Test
    void shouldNameThePortWhenItIsAlreadyInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalKafka kafka = LocalKafka.builder(dataDir).port(taken.getLocalPort()).build();

            assertThatThrownBy(kafka::start)
                    .isInstanceOf(LocalKafkaException.class)
                    .hasMessage("port " + taken.getLocalPort()
                            + " on 127.0.0.1 (the broker listener) is already in use by another process");
        }
    }

    @Test
    void shouldRefuseADataDirectoryThatCannotBeCreated() throws IOException {
        Path file = dataDir.resolve("a-file");
        java.nio.file.Files.writeString(file, "not a directory");

        assertThatThrownBy(() -> LocalKafka.builder(file.resolve("kafka")).build())
                .isInstanceOf(LocalKafkaException.class)
                .hasMessageStartingWith("cannot create the data directory " + file.resolve("kafka"));
    }

    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    static List<String> readAll(String bootstrap, String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
        }
        return seen;
    }
}
