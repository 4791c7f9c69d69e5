package dev.repro.streams;

import java.util.Objects;
import java.util.function.Function;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import dev.repro.schema.RejectedEvent;

/**
 * The first processor after a source: forwards each well-formed, timely record unchanged, and
 * turns the others into a {@link RejectedEvent} for the dead-letter topic instead of dropping
 * them: a record without a value ({@link #MISSING_VALUE}) or key ({@link #MISSING_KEY}), and a record whose event time is more
 * than {@code horizon} older than the task's stream time ({@link #LATE_EVENT}), which the app's
 * state (bounded by that retention) could no longer judge correctly. Stream time only, so the
 * same input log is gated the same way on every run. Downstream, split on
 * {@code value instanceof RejectedEvent}.
 */
public final class LateEventGate<V> implements ProcessorSupplier<String, V, String, Object> {

    public static final String LATE_EVENT = "late-event";
    public static final String MISSING_VALUE = "missing-value";
    public static final String MISSING_KEY = "missing-key";

    private final long horizonMs;
    private final Function<V, String> eventId;
    private final Function<V, byte[]> serializer;

    /**
     * @param horizonMs  how far behind stream time (ms) a record may be and still pass
     * @param eventId    the event id of a value, for the rejected record
     * @param serializer the value's bytes, for the rejected record's {@code raw}
     */
    public LateEventGate(long horizonMs, Function<V, String> eventId, Function<V, byte[]> serializer) {
        if (horizonMs <= 0) {
            throw new IllegalArgumentException("horizon must be positive, was " + horizonMs + " ms");
        }
        this.horizonMs = horizonMs;
        this.eventId = Objects.requireNonNull(eventId, "eventId");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    @Override
    public Processor<String, V, String, Object> get() {
        return new Processor<>() {
            private ProcessorContext<String, Object> context;

            @Override
            public void init(ProcessorContext<String, Object> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, V> record) {
                if (record.value() == null) {
                    reject(record, null, MISSING_VALUE, "record has no value (a tombstone on an event topic)", new byte[0]);
                    return;
                }
                if (record.key() == null) {
                    reject(record, eventId.apply(record.value()), MISSING_KEY, "record has no key; the topic is keyed",
                            serializer.apply(record.value()));
                    return;
                }
                long streamTime = context.currentStreamTimeMs();
                if (record.timestamp() < streamTime - horizonMs) {
                    reject(record, eventId.apply(record.value()), LATE_EVENT, "event time " + record.timestamp()
                            + " is more than " + horizonMs + " ms behind stream time " + streamTime
                            + ": older than the state retention, it can no longer be judged", serializer.apply(record.value()));
                    return;
                }
                context.forward(record.withValue(record.value()));
            }

            private void reject(Record<String, V> record, String id, String rule, String reason, byte[] raw) {
                RecordMetadata meta = context.recordMetadata().orElse(null);
                DeadLetters.Origin origin = meta == null
                        ? new DeadLetters.Origin(null, -1, -1, record.timestamp())
                        : new DeadLetters.Origin(meta.topic(), meta.partition(), meta.offset(), record.timestamp());
                RejectedEvent rejected = DeadLetters.rejected(id, rule, reason, raw, origin);
                String key = record.key() != null ? record.key() : rejected.getId();
                context.forward(record.withKey(key).withValue(rejected));
            }
        };
    }
}
