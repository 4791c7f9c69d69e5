package dev.repro.ingest.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A raw event after decoding and validation.
 *
 * @param id      the idempotency key of the event, unique per {@code source} (for an attestation
 *                {@code sha256:<hex>} of its canonical statement)
 * @param source  URI of the emitter
 * @param type    the native type ({@code build|deployment|desired|run|test}), the CDEvent type
 *                (e.g. {@code dev.cdevents.build.finished.0.2.0}) or {@code attestation}
 * @param time    the event's own time, truncated to milliseconds as on the typed topics
 * @param records the typed records it maps to; empty for valid CDEvent types that are only
 *                archived
 */
public record DecodedEvent(String id, String source, String type, Instant time, List<TypedRecord> records) {

    public DecodedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        records = List.copyOf(records);
    }
}
