package dev.repro.testkit;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers' Kafka module, for machines with a Docker engine. */
final class ContainerKafka implements KafkaUnderTest {

    private final KafkaContainer container;

    ContainerKafka(String image) {
        container = new KafkaContainer(DockerImageName.parse(image))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("stopping a broker mid-test needs the embedded broker (-Drepro.kafka=embedded)");
    }

    @Override
    public void kill() {
        throw new UnsupportedOperationException("killing a broker mid-test needs the embedded broker (-Drepro.kafka=embedded)");
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("restarting a broker mid-test needs the embedded broker (-Drepro.kafka=embedded)");
    }

    @Override
    public void close() {
        container.stop();
    }
}
