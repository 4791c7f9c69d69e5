package dev.repro.sli;

import java.time.Instant;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of every input: an event's {@code time}, a verdict's or drift status's {@code as_of};
 * otherwise the record's timestamp, or the partition's time when that is invalid.
 */
public final class SliEventTime implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof SpecificRecord value) {
            for (String name : new String[] {"time", "as_of"}) {
                Schema.Field field = value.getSchema().getField(name);
                if (field != null && value.get(field.pos()) instanceof Instant time) {
                    return time.toEpochMilli();
                }
            }
        }
        return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0L);
    }
}
