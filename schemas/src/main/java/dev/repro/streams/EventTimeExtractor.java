package dev.repro.streams;

import java.time.Instant;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import dev.repro.serde.Encoded;

/**
 * Event time for Kafka Streams: the {@code time} field every contract event carries (when the
 * build finished, the run was reported...), not the producer's or broker's clock. A value without
 * one (a tombstone, or a record type without {@code time}) gets the record's own timestamp, or
 * the partition's stream time when that is invalid, so it never stalls or fails the task. A
 * record read with its bytes ({@link Encoded}) is looked into.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    public static final String TIME_FIELD = "time";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        Object read = record.value() instanceof Encoded<?> encoded ? encoded.value() : record.value();
        if (read instanceof SpecificRecord value) {
            Schema.Field field = value.getSchema().getField(TIME_FIELD);
            if (field != null && value.get(field.pos()) instanceof Instant time) {
                return time.toEpochMilli();
            }
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0L);
    }
}
