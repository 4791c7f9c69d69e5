package dev.repro.testkit;

import static dev.repro.testkit.KafkaRoundTrip.consume;
import static dev.repro.testkit.KafkaRoundTrip.createTopic;
import static dev.repro.testkit.KafkaRoundTrip.produce;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Testcontainers path: runs where a Docker engine is reachable, is skipped with its reason elsewhere. */
class TestcontainersPathTest {

    @RegisterExtension
    static final KafkaBroker kafka = KafkaBroker.testcontainers();

    @Test
    void shouldProduceAndConsumeThroughTheContainerBroker() throws Exception {
        String topic = kafka.uniqueName("container-round-trip");
        createTopic(kafka.bootstrapServers(), topic);

        produce(kafka.bootstrapServers(), topic, "k", "v");

        assertThat(consume(kafka.bootstrapServers(), topic, 1)).containsExactly("k=v");
    }
}
