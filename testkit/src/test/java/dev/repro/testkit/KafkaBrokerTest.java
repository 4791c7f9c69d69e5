package dev.repro.testkit;

import static dev.repro.testkit.KafkaRoundTrip.consume;
import static dev.repro.testkit.KafkaRoundTrip.createTopic;
import static dev.repro.testkit.KafkaRoundTrip.produce;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerTest {

    @RegisterExtension
    static final KafkaBroker kafka = KafkaBroker.perClass();

    @Test
    void shouldProduceAndConsumeThroughARealBrokerOnLoopback() throws Exception {
        String topic = kafka.uniqueName("round-trip");
        createTopic(kafka.bootstrapServers(), topic);

        produce(kafka.bootstrapServers(), topic, "build-1", "sha256:aa");

        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":9092");
        assertThat(consume(kafka.bootstrapServers(), topic, 1)).containsExactly("build-1=sha256:aa");
    }

    @Test
    void shouldKeepRecordsWhenTheBrokerIsKilledAndStartedAgain() throws Exception {
        String topic = kafka.uniqueName("survives-crash");
        createTopic(kafka.bootstrapServers(), topic);
        produce(kafka.bootstrapServers(), topic, "k", "before-crash");

        kafka.killBroker();
        kafka.startBroker();
        produce(kafka.bootstrapServers(), topic, "k", "after-crash");

        assertThat(consume(kafka.bootstrapServers(), topic, 2)).containsExactly("k=before-crash", "k=after-crash");
    }

    @Test
    void shouldHandOutNamesNoOtherTestUses() {
        assertThat(kafka.uniquePrefix()).isNotEqualTo(kafka.uniquePrefix()).endsWith(".");
        assertThat(kafka.uniqueName("app")).startsWith("app").isNotEqualTo(kafka.uniqueName("app"));
    }
}
