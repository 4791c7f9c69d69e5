package dev.repro.ingest.event;

import java.time.Instant;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decodes, validates and maps one raw event to typed Avro records (CONTRACT sections 3 to 5).
 *
 * <p>Decoding is a pure function of its arguments: it never reads the clock or any other state, so
 * re-decoding an archived event later gives equal records. Instances are thread-safe. A decoder
 * made to remember its last decodes ({@link #EventDecoder(Limits, int)}) hands each result out once
 * more to a decode of equal arguments instead of decoding again: ingest's router re-decodes every
 * event its HTTP threads decoded a moment before.
 */
public final class EventDecoder {

    private final Limits limits;
    private final BoundedJsonReader reader;
    private final CdEventMapper cdEvents;
    private final AttestationDecoder attestations;
    private final RecentDecodes recent;

    public EventDecoder(Limits limits) {
        this(limits, 0);
    }

    /**
     * A decoder that keeps its last {@code remembered} results (events and attestations decoded
     * without error) until a decode of equal arguments takes them.
     */
    public EventDecoder(Limits limits, int remembered) {
        if (remembered < 0) {
            throw new IllegalArgumentException("remembered must not be negative: " + remembered);
        }
        this.recent = new RecentDecodes(remembered);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.reader = new BoundedJsonReader(limits);
        this.cdEvents = new CdEventMapper(limits);
        this.attestations = new AttestationDecoder(limits, reader);
    }

    /**
     * One event of {@code POST /v1/events}: native JSON, a CloudEvent in structured mode
     * ({@code application/cloudevents+json}, or any JSON body with {@code specversion} and
     * {@code data}), a CloudEvent in binary mode ({@code ce-*} headers, the body is the CDEvent), or a
     * bare CDEvent (a JSON object with a {@code context}).
     *
     * @throws InvalidEventException when the event breaks a rule; it names the field and the rule
     */
    public DecodedEvent decodeEvent(RawEvent raw) {
        Objects.requireNonNull(raw, "raw");
        return recent.takeOrDecode(raw, null, () -> decodeEventAfresh(raw));
    }

    private DecodedEvent decodeEventAfresh(RawEvent raw) {
        String mediaType = CloudEvents.mediaType(raw.contentType());
        if (CloudEvents.BATCH_MEDIA_TYPE.equals(mediaType)) {
            throw new InvalidEventException(JsonPaths.ROOT,
                    "CloudEvents batch mode is not supported: send one CloudEvent per request, or NDJSON lines", "unsupported-mode");
        }
        if (CloudEvents.STRUCTURED_MEDIA_TYPE.equals(mediaType)) {
            return structured(read(raw.body()));
        }
        if (CloudEvents.isBinaryMode(raw.headers())) {
            String cloudEventType = CloudEvents.checkBinaryHeaders(raw.headers(), raw.contentType(), limits);
            DecodedEvent event = cdEvent(read(raw.body()), "");
            CloudEvents.checkSameType(cloudEventType, "ce-type", event, "context.type");
            return event;
        }
        JsonNode root = read(raw.body());
        if (CdEventMapper.looksLikeCdEvent(root)) {
            return cdEvent(root, "");
        }
        if (CloudEvents.looksStructured(root)) {
            return structured(root);
        }
        return NativeEventMapper.decode(JsonObject.of(root, "", limits));
    }

    /**
     * One attestation of {@code POST /v1/attestations}, with no receive time to fall back on: an
     * attestation stating no time of its own (no finish/start time, no transparency-log entry) is
     * refused. Prefer {@link #decodeAttestation(RawEvent, Instant)}.
     */
    public DecodedEvent decodeAttestation(RawEvent raw) {
        return decodeAttestation(raw, null);
    }

    /**
     * One attestation of {@code POST /v1/attestations}: an in-toto Statement (v0.1 or v1) with SLSA
     * provenance (v0.2 or v1), a DSSE envelope holding one, or a Sigstore bundle holding one. Yields
     * one build record per subject.
     *
     * @param receivedAt when ingest received the attestation (the archive's {@code received_at}, so a
     *                   re-decode gets the same value); used as the event time only when the
     *                   attestation states none; may be null
     * @throws InvalidEventException when the attestation breaks a rule
     */
    public DecodedEvent decodeAttestation(RawEvent raw, Instant receivedAt) {
        Objects.requireNonNull(raw, "raw");
        Instant fallback = receivedAt == null ? null : receivedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return recent.takeOrDecode(raw, fallback, () -> attestations.decode(raw.body(), fallback));
    }

    /** The limits this decoder enforces. */
    public Limits limits() {
        return limits;
    }

    private JsonNode read(byte[] body) {
        // Only a structured CloudEvent's data_base64 may be longer than maxStringLength.
        return reader.read(body, "", limits.maxStringLength(), "data_base64", limits.maxEmbeddedDocumentBytes() / 3 * 4 + 4);
    }

    private DecodedEvent structured(JsonNode root) {
        JsonObject cloudEvent = JsonObject.of(root, "", limits);
        String type = CloudEvents.checkStructured(cloudEvent);
        DecodedEvent event;
        String typePath;
        if (cloudEvent.has("data")) {
            event = cdEvent(cloudEvent.raw("data"), cloudEvent.path("data"));
            typePath = cloudEvent.path("data") + ".context.type";
        } else {
            String path = cloudEvent.path("data_base64");
            byte[] data = CloudEvents.base64(cloudEvent.requiredString("data_base64", limits.maxEmbeddedDocumentBytes() / 3 * 4 + 4),
                    path, limits.maxEmbeddedDocumentBytes());
            event = cdEvent(reader.read(data, path, limits.maxStringLength()), path);
            typePath = path + ".context.type";
        }
        CloudEvents.checkSameType(type, cloudEvent.path("type"), event, typePath);
        return event;
    }

    private DecodedEvent cdEvent(JsonNode root, String path) {
        return cdEvents.decode(JsonObject.of(root, path, limits));
    }
}
