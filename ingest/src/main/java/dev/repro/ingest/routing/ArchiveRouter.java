package dev.repro.ingest.routing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.ingest.event.DecodedEvent;
import dev.repro.ingest.event.EventDecoder;
import dev.repro.ingest.event.InvalidEventException;
import dev.repro.ingest.event.RawEvent;
import dev.repro.ingest.event.TypedRecord;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicId;

/**
 * Decodes one archived event, drops it when its {@code source}+{@code id} was routed before
 * (within the retention, counted in the archive's own record time), and forwards its typed records to their sinks. Reads
 * no clock: the same archive always gives the same typed topics.
 */
final class ArchiveRouter implements Processor<String, ArchivedEvent, String, byte[]> {

    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final EventDecoder decoder;
    private final AvroSerdes serdes;
    private final long retentionMs;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> seen;

    ArchiveRouter(EventDecoder decoder, AvroSerdes serdes, Duration retention) {
        this.decoder = decoder;
        this.serdes = serdes;
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.seen = context.getStateStore(ArchiveRoutingTopology.SEEN_IDS_STORE);
        context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, ArchivedEvent> record) {
        ArchivedEvent archived = record.value();
        if (archived == null) {
            return;
        }
        String seenKey = archived.getSource() + "\n" + archived.getId();
        if (seen.get(seenKey) != null) {
            return; // a retried delivery of an event already routed: counted once
        }
        DecodedEvent event;
        try {
            event = decode(archived);
        } catch (InvalidEventException e) {
            // accepted by an ingest whose rules have since changed: keep it, with the reason, never on a typed topic
            forwardRejected(record, archived, e);
            return;
        }
        seen.put(seenKey, archived.getReceivedAt().toEpochMilli());
        // stamped with the receive time, not the event time: a backfill of old events must not
        // fall behind the typed topics' time-based retention before the apps read it (they take
        // event time from the payload)
        for (TypedRecord typed : event.records()) {
            context.forward(new Record<>(typed.key(), serdes.serialize(typed.value()), record.timestamp()),
                    ArchiveRoutingTopology.sinkName(typed.topic()));
        }
    }

    private DecodedEvent decode(ArchivedEvent archived) {
        Map<String, String> headers = new HashMap<>(archived.getHeaders());
        byte[] body = bytes(archived.getBody());
        RawEvent raw = new RawEvent(body, archived.getContentType(), headers);
        return "attestation".equals(archived.getEventType())
                ? decoder.decodeAttestation(raw, archived.getReceivedAt())
                : decoder.decodeEvent(raw);
    }

    private void forwardRejected(Record<String, ArchivedEvent> record, ArchivedEvent archived, InvalidEventException e) {
        RejectedEvent rejected = RejectedEvent.newBuilder()
                .setId(archived.getId())
                .setReason("archived event no longer decodes: " + e.getMessage())
                .setField(e.field())
                .setRule(e.code())
                .setContentType(archived.getContentType())
                .setRaw(archived.getBody())
                .setReceivedAt(archived.getReceivedAt())
                .build();
        context.forward(new Record<>(archived.getId(), serdes.serialize(rejected), record.timestamp()),
                ArchiveRoutingTopology.sinkName(TopicId.REJECTED));
    }

    /** Forgets ids received longer ago than the retention, in stream time (the archive's record timestamps). */
    private void purge(long streamTime) {
        long horizon = streamTime - retentionMs;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (entry.value < horizon) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
