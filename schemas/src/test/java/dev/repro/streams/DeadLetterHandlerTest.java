package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

import dev.repro.config.ConfigException;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.RecordDecodingException;

class DeadLetterHandlerTest {

    private final AvroSerdes serdes = AvroSerdes.create();

    private static DeadLetterHandler handler(String topic) {
        DeadLetterHandler handler = new DeadLetterHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topic));
        return handler;
    }

    @Test
    void shouldResumeWithARejectedEventCarryingTheReasonBytesAndOrigin() {
        byte[] raw = {1, 2, 3};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("repro.events.builds", 2, 41L,
                "app@c#-".getBytes(StandardCharsets.UTF_8), raw);

        DeserializationExceptionHandler.Response response = handler("repro.deadletter")
                .handleError(null, record, new RecordDecodingException("not Avro single-object encoding"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("repro.deadletter");
            assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("app@c#-");
            RejectedEvent rejected = serdes.deserialize(RejectedEvent.class, dead.value());
            assertThat(rejected.getReason()).isEqualTo("not Avro single-object encoding");
            assertThat(rejected.getRule()).isEqualTo(DeadLetters.UNDECODABLE);
            assertThat(rejected.getRaw().array()).isEqualTo(raw);
            assertThat(rejected.getTopic()).isEqualTo("repro.events.builds");
            assertThat(rejected.getPartition()).isEqualTo(2);
            assertThat(rejected.getOffset()).isEqualTo(41L);
            assertThat(rejected.getId()).isEqualTo(DeadLetters.sha256(raw));
        });
    }

    @Test
    void shouldKeyARecordWithoutKeyByTheHashOfItsBytes() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 0L, null, new byte[] {9});

        ProducerRecord<byte[], byte[]> dead = handler("dlq").handleError(null, record, new RuntimeException((String) null))
                .deadLetterQueueRecords().get(0);

        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(DeadLetters.sha256(new byte[] {9}));
        assertThat(serdes.deserialize(RejectedEvent.class, dead.value()).getReason()).isEqualTo("RuntimeException");
    }

    @Test
    void shouldRefuseToStartWithoutADeadLetterTopic() {
        assertThatThrownBy(() -> new DeadLetterHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    }

    @Test
    void shouldJoinTheCausesOfAFailureOnOneLine() {
        Exception failure = new RecordDecodingException("truncated body", new java.io.EOFException("end of\ninput"));

        assertThat(DeadLetters.reason(failure)).isEqualTo("truncated body: end of input");
    }
}
