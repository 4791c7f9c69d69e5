package dev.repro.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaClusterTest {

    private static final String TOPIC = "replicated";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void shouldKeepAcknowledgedWritesWhenANodeIsKilledAndTakeItBackWhenItRestarts() throws Exception {
        // Given three nodes in one quorum (fast failure detection, so the test is short)
        LocalKafkaCluster cluster = LocalKafkaCluster.builder(dataDir)
                .brokerConfig("broker.session.timeout.ms", "3000")
                .brokerConfig("broker.heartbeat.interval.ms", "500")
                .build();
        List<Long> pids = new ArrayList<>();
        try {
            cluster.start();
            cluster.nodes().forEach(n -> pids.add(n.pid()));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
                assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(1, 2, 3);

                // and a topic created with the cluster's defaults: three replicas, two must acknowledge
                admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(3), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                TopicDescription topic = awaitLeaders(admin);
                assertThat(topic.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
                assertThat(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                        .get("min.insync.replicas").value()).isEqualTo("2");
                produce(cluster.bootstrapServers(), 0, 100);

                // When the leader of partition 0 is killed and writing goes on
                int leader = topic.partitions().get(0).leader().id();
                LocalKafkaCluster.ClusterNode victim = cluster.node(leader);
                long victimPid = victim.pid();
                victim.kill();
                assertThat(ProcessHandle.of(victimPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
                assertThat(victim.isRunning()).isFalse();
                produce(cluster.bootstrapServers(), 100, 200);

                // Then every acknowledged record is there, and the node rejoins every ISR when it comes back
                assertThat(readAll(cluster.bootstrapServers(), 200)).hasSize(200).doesNotHaveDuplicates();
                victim.start();
                assertThat(victim.pid()).isNotEqualTo(victimPid);
                pids.add(victim.pid());
                cluster.awaitFullyReplicated(Duration.ofSeconds(60));
                assertThat(readAll(cluster.node(leader).bootstrapServers(), 200)).hasSize(200);
            }
        } finally {
            cluster.stop();
        }
        assertThat(pids).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse());
        assertThat(cluster.nodes()).noneMatch(LocalKafkaCluster.ClusterNode::isRunning);
    }

    @Test
    void shouldRefuseADataDirectoryThatHoldsAClusterOfAnotherSize() {
        LocalKafkaCluster.builder(dataDir).nodes(3).build();

        assertThatThrownBy(() -> LocalKafkaCluster.builder(dataDir).nodes(5).build())
                .isInstanceOf(LocalKafkaException.class)
                .hasMessage(dataDir.toAbsolutePath().normalize() + " holds a cluster of 3 nodes, not 5; use another data directory");
    }

    @Test
    void shouldGiveEveryNodeItsOwnPortsAndKeepThemForTheDataDirectory() {
        LocalKafkaCluster first = LocalKafkaCluster.builder(dataDir).build();
        List<Integer> ports = new ArrayList<>();
        first.nodes().forEach(n -> {
            ports.add(n.port());
            ports.add(n.controllerPort());
        });

        LocalKafkaCluster again = LocalKafkaCluster.builder(dataDir).build();

        assertThat(ports).doesNotHaveDuplicates().hasSize(6);
        assertThat(again.bootstrapServers()).isEqualTo(first.bootstrapServers());
        assertThat(again.clusterId()).isEqualTo(first.clusterId());
    }

    private static TopicDescription awaitLeaders(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC);
                if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return d;
                }
            } catch (ExecutionException e) {
                // right after creation the node asked may not know the topic yet
                assertThat(e.getCause()).isInstanceOf(UnknownTopicOrPartitionException.class);
            }
            assertThat(System.nanoTime()).as("leaders of " + TOPIC + " within 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void produce(String bootstrap, int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> readAll(String bootstrap, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
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
