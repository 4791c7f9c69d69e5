package dev.repro.streams;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.repro.config.ConfigException;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;

/**
 * Sends a record Kafka Streams cannot deserialize to the dead-letter topic, as a
 * {@link RejectedEvent} with the reason, the raw bytes and the record's topic, partition and
 * offset, then lets the app continue with the next record. The dead-letter record is written
 * through the task's own producer, so under exactly-once it commits atomically with the input
 * offset: never a crash loop, never a silent drop.
 *
 * <p>The topic is {@link StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}; the key is
 * the source record's raw key (or the rejected id when the record had none).
 * {@link StreamsAppRunner#properties} configures both.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic;
    private AvroSerdes serdes;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + ": must name the dead-letter topic when " + DeadLetterHandler.class.getSimpleName() + " is used");
        }
        this.deadLetterTopic = topic.toString();
        this.serdes = AvroSerdes.create();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        RejectedEvent rejected = DeadLetters.undecodable(record.value(), exception,
                new DeadLetters.Origin(record.topic(), record.partition(), record.offset(), record.timestamp()));
        byte[] key = record.key() != null ? record.key() : DeadLetters.utf8(rejected.getId());
        LOG.warn("dead-lettered an undecodable record from {}-{} at offset {} to {}: {}", record.topic(),
                record.partition(), record.offset(), deadLetterTopic, rejected.getReason());
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, rejected.getReceivedAt().toEpochMilli(),
                key, serdes.serialize(rejected))));
    }

    /** The topic dead letters go to; set by {@link #configure}. */
    public String deadLetterTopic() {
        return deadLetterTopic;
    }
}
