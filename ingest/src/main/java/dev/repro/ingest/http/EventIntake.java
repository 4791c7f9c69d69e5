package dev.repro.ingest.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.ingest.archive.ArchiveWriter;
import dev.repro.ingest.archive.Submission;
import dev.repro.ingest.event.DecodedEvent;
import dev.repro.ingest.event.EventDecoder;
import dev.repro.ingest.event.InvalidEventException;
import dev.repro.ingest.event.RawEvent;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.RejectedEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

/**
 * What happens to a request's body once it arrived: media type, credentials, splitting a batch
 * into lines, decoding and validating each event, answering duplicates, and handing accepted
 * events to the {@link ArchiveWriter}; the answer is given only from the writer's outcome.
 *
 * <p>Ingest writes only {@code repro.events.archive} (and {@code repro.events.rejected} for
 * forensics); the typed topics are derived from the archive by the exactly-once router, so the
 * archive and the typed topics can never disagree.
 */
public final class EventIntake {

    /** The two POST endpoints. */
    public enum Endpoint { EVENTS, ATTESTATIONS }

    /** A request body with its headers (any case). */
    public record Request(byte[] body, Map<String, List<String>> headers) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** The answer: a status and JSON body, or a problem. */
    public record Answer(int status, JsonNode body, Problem problem) {
        static Answer of(Problem problem) {
            return new Answer(problem.status(), null, problem);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String EVENT_TYPES = "application/json, application/cloudevents+json, a CloudEvent in binary mode "
            + "(ce-* headers), or application/x-ndjson";
    private static final String ATTESTATION_TYPES = "application/json, application/vnd.in-toto+json, "
            + "application/vnd.dev.sigstore.bundle+json, or application/x-ndjson / application/jsonl";
    private static final int RAW_KEPT_FOR_FORENSICS = 64 * 1024;

    private final EventDecoder decoder;
    private final ArchiveWriter writer;
    private final RequestAuthenticator authenticator;
    private final AvroSerdes serdes;
    private final TopicCatalog catalog;
    private final IngestMetrics metrics;
    private final AcceptedIds acceptedIds;
    private final Duration ackTimeout;
    private final Duration maxFutureSkew;
    private final Clock clock;

    public EventIntake(EventDecoder decoder, ArchiveWriter writer, RequestAuthenticator authenticator, AvroSerdes serdes,
                       TopicCatalog catalog, IngestMetrics metrics, int rememberedIds, Duration ackTimeout,
                       Duration maxFutureSkew, Clock clock) {
        this.decoder = decoder;
        this.writer = writer;
        this.authenticator = authenticator;
        this.serdes = serdes;
        this.catalog = catalog;
        this.metrics = metrics;
        this.acceptedIds = new AcceptedIds(rememberedIds);
        this.ackTimeout = ackTimeout;
        this.maxFutureSkew = maxFutureSkew;
        this.clock = clock;
    }

    public Answer accept(Endpoint endpoint, Request request) {
        String contentType = request.header("Content-Type");
        String mediaType = mediaType(contentType);
        boolean binaryCloudEvent = endpoint == Endpoint.EVENTS && request.header("ce-specversion") != null;
        boolean lines = mediaType.equals("application/x-ndjson") || mediaType.equals("application/jsonl")
                || mediaType.equals("application/jsonlines");
        if (!lines && !accepts(endpoint, mediaType, binaryCloudEvent)) {
            metrics.rejected("media-type");
            return Answer.of(Problem.unsupportedMediaType(contentType,
                    endpoint == Endpoint.EVENTS ? EVENT_TYPES : ATTESTATION_TYPES));
        }
        RequestAuthenticator.Verdict auth = authenticator.check(request.header("Authorization"),
                request.header(RequestAuthenticator.SIGNATURE_HEADER), request.body());
        if (!auth.allowed()) {
            metrics.rejected(auth.problem().status() == 401 ? "unauthenticated" : "forbidden");
            return Answer.of(auth.problem());
        }
        if (lines || (endpoint == Endpoint.ATTESTATIONS && holdsSeveralDocuments(request.body()))) {
            return batch(endpoint, request, splitLines(request.body()));
        }
        Map<String, String> headers = keptHeaders(request, contentType);
        Pending pending = start(endpoint, new RawEvent(request.body(), contentType, headers));
        return pending.finish();
    }

    private static boolean accepts(Endpoint endpoint, String mediaType, boolean binaryCloudEvent) {
        if (endpoint == Endpoint.EVENTS) {
            return mediaType.equals("application/json") || mediaType.equals("application/cloudevents+json")
                    || (binaryCloudEvent && (mediaType.endsWith("/json") || mediaType.endsWith("+json")));
        }
        return mediaType.equals("application/json") || mediaType.equals("application/vnd.in-toto+json")
                || mediaType.equals("application/vnd.dev.sigstore.bundle+json")
                || mediaType.equals("application/vnd.dev.sigstore.bundle.v0.3+json");
    }

    /** Every line is handed to the writer first, then awaited, so that the lines share transactions. */
    private Answer batch(Endpoint endpoint, Request request, List<byte[]> lines) {
        List<Pending> pendings = new ArrayList<>(lines.size());
        for (byte[] line : lines) {
            pendings.add(start(endpoint, new RawEvent(line, "application/json", Map.of("content-type", "application/json"))));
        }
        ArrayNode results = JSON.createArrayNode();
        int line = 0;
        for (Pending p : pendings) {
            Answer a = p.finish();
            ObjectNode result = results.addObject();
            result.put("line", ++line);
            result.put("status", a.status());
            if (a.problem() != null) {
                result.set("problem", a.problem().toJson(JSON));
            } else {
                a.body().fields().forEachRemaining(f -> result.set(f.getKey(), f.getValue()));
            }
        }
        return new Answer(207, results, null);
    }

    /** Decodes and submits; the returned {@link Pending} waits for the outcome. */
    private Pending start(Endpoint endpoint, RawEvent raw) {
        Instant receivedAt = clock.instant();
        DecodedEvent event;
        try {
            // an attestation without a time of its own takes the receive time, which the archive keeps
            event = endpoint == Endpoint.EVENTS ? decoder.decodeEvent(raw) : decoder.decodeAttestation(raw, receivedAt);
            Instant latest = receivedAt.plus(maxFutureSkew);
            if (event.time().isAfter(latest)) {
                throw new InvalidEventException("time", "is more than " + maxFutureSkew.toMinutes()
                        + " minutes ahead of this server's clock (" + event.time() + ")", "time-in-future");
            }
        } catch (InvalidEventException e) {
            metrics.rejected(e.code());
            keepForForensics(raw, e);
            return Pending.done(Answer.of(Problem.invalid(e.field(), e.rule())));
        }
        String topic = event.records().isEmpty() ? catalog.name(TopicId.ARCHIVE) : catalog.name(event.records().get(0).topic());
        if (acceptedIds.contains(event.source(), event.id())) {
            metrics.duplicate();
            return Pending.done(new Answer(200, JSON.createObjectNode().put("id", event.id()).put("topic", topic)
                    .put("duplicate", true), null));
        }
        ArchivedEvent archived = ArchivedEvent.newBuilder()
                .setId(event.id())
                .setSource(event.source())
                .setEventType(event.type())
                .setContentType(raw.contentType() == null ? "application/json" : raw.contentType())
                .setHeaders(new TreeMap<>(raw.headers()))
                .setBody(java.nio.ByteBuffer.wrap(raw.body()))
                .setReceivedAt(receivedAt)
                .setEventTime(event.time())
                .build();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(catalog.name(TopicId.ARCHIVE), null, receivedAt.toEpochMilli(), event.id(),
                serdes.serialize(archived));
        // in the partition its typed record will have, so that replaying the archive re-derives identical typed logs
        Submission submission = writer.submit(List.of(record), event.records().isEmpty() ? null
                : new Submission.PartitionHint(event.records().get(0).topic(), event.records().get(0).key()));
        return new Pending(this, event, topic, submission, null);
    }

    /** An event on its way: either already answered, or waiting for the writer. */
    private record Pending(EventIntake intake, DecodedEvent event, String topic, Submission submission, Answer answer) {

        static Pending done(Answer answer) {
            return new Pending(null, null, null, null, answer);
        }

        Answer finish() {
            return answer != null ? answer : intake.await(this);
        }
    }

    private Answer await(Pending p) {
        Submission.Result result;
        try {
            result = p.submission().await(ackTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.submission().cancel();
            return Answer.of(Problem.unavailable("ingest is shutting down; the event was not stored (retrying is safe)"));
        }
        switch (result.outcome()) {
            case COMMITTED -> {
                acceptedIds.add(p.event().source(), p.event().id());
                metrics.accepted(p.event().type().startsWith("dev.cdevents.") ? "cdevent" : p.event().type());
                if (p.event().records().isEmpty()) {
                    metrics.archivedOnly();
                }
                metrics.produceLatency(result.nanos());
                ObjectNode body = JSON.createObjectNode().put("id", p.event().id()).put("topic", p.topic());
                if (p.event().records().size() > 1) {
                    body.put("records", p.event().records().size());
                }
                return new Answer(202, body, null);
            }
            case UNKNOWN -> {
                metrics.rejected("kafka-unavailable");
                return Answer.of(Problem.unavailable(result.reason()
                        + "; retrying is safe: a repeated source+id is never counted twice"));
            }
            default -> {
                metrics.rejected("kafka-unavailable");
                return Answer.of(Problem.unavailable("Kafka did not acknowledge the event, nothing was stored (retrying is safe): "
                        + result.reason()));
            }
        }
    }

    /** Invalid input is kept on the rejected topic with the reason, best effort: the 400 does not wait for it. */
    private void keepForForensics(RawEvent raw, InvalidEventException e) {
        byte[] body = raw.body();
        byte[] kept = body.length <= RAW_KEPT_FOR_FORENSICS ? body : java.util.Arrays.copyOf(body, RAW_KEPT_FOR_FORENSICS);
        String id = "sha256:" + sha256(body);
        RejectedEvent rejected = RejectedEvent.newBuilder()
                .setId(id)
                .setReason(e.getMessage() + (body.length > kept.length ? " (body truncated to " + kept.length + " bytes)" : ""))
                .setField(e.field())
                .setRule(e.code())
                .setContentType(raw.contentType())
                .setRaw(java.nio.ByteBuffer.wrap(kept))
                .setReceivedAt(clock.instant())
                .build();
        writer.submit(List.of(new ProducerRecord<>(catalog.name(TopicId.REJECTED), id, serdes.serialize(rejected))));
    }

    /** The headers a decoder needs again later (content type and CloudEvents {@code ce-*}); never credentials. */
    private static Map<String, String> keptHeaders(Request request, String contentType) {
        Map<String, String> kept = new TreeMap<>();
        request.headers().forEach((name, values) -> {
            if (name != null && !values.isEmpty() && name.toLowerCase(Locale.ROOT).startsWith("ce-")) {
                kept.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        if (contentType != null) {
            kept.put("content-type", contentType);
        }
        return kept;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** True when the body holds more than one JSON document (JSON Lines posted as application/json). */
    private static boolean holdsSeveralDocuments(byte[] body) {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() != null;
        } catch (java.io.IOException e) {
            return false; // malformed: the decoder reports where
        }
    }

    private static List<byte[]> splitLines(byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i;
                if (end > start && body[end - 1] == '\r') {
                    end--;
                }
                byte[] line = java.util.Arrays.copyOfRange(body, start, end);
                if (!new String(line, StandardCharsets.UTF_8).isBlank()) {
                    lines.add(line);
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
