package dev.repro.ingest.event;

import static dev.repro.ingest.event.SampleEvents.BUILD;
import static dev.repro.ingest.event.SampleEvents.CDEVENT_05_BUILD_FINISHED;
import static dev.repro.ingest.event.SampleEvents.CDEVENT_SERVICE_DEPLOYED;
import static dev.repro.ingest.event.SampleEvents.DEPLOYMENT;
import static dev.repro.ingest.event.SampleEvents.DESIRED;
import static dev.repro.ingest.event.SampleEvents.MINIMAL_BUILD;
import static dev.repro.ingest.event.SampleEvents.RUN;
import static dev.repro.ingest.event.SampleEvents.TEST;
import static dev.repro.ingest.event.SampleEvents.with;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Malformed and invalid inputs, one per rule of CONTRACT section 4 and of the CloudEvents,
 * CDEvents and attestation formats, each with the field and rule the refusal must name. Public
 * and free of decoder calls so the HTTP-level tests can post the same table and expect
 * {@code 400} with the same field.
 */
public final class MalformedEvents {

    /** Which endpoint a case is posted to. */
    public enum Endpoint {
        /** {@code POST /v1/events}. */
        EVENTS,
        /** {@code POST /v1/attestations}. */
        ATTESTATIONS
    }

    /**
     * One malformed input.
     *
     * @param name          what is wrong, readable as a test name
     * @param endpoint      where it is posted
     * @param body          the request body
     * @param contentType   the Content-Type header, or null
     * @param headers       other request headers (lower-case names), e.g. CloudEvents {@code ce-*}
     * @param expectedField the field the refusal must name ({@link InvalidEventException#field()})
     * @param expectedCode  the rule's short name ({@link InvalidEventException#code()})
     */
    public record Case(String name, Endpoint endpoint, byte[] body, String contentType, Map<String, String> headers,
            String expectedField, String expectedCode) {

        public RawEvent raw() {
            return new RawEvent(body, contentType, headers);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String JSON = "application/json";
    private static final String CE_JSON = "application/cloudevents+json";

    /** Every case. */
    public static final List<Case> CASES = cases();

    private MalformedEvents() {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // ---- JSON syntax and resource limits
        event(cases, "empty body", "", "$", "malformed-json");
        event(cases, "truncated JSON", BUILD.substring(0, BUILD.length() / 2), "$", "malformed-json");
        event(cases, "not JSON at all", "type=build&id=1", "$", "malformed-json");
        event(cases, "two JSON values in one body", MINIMAL_BUILD + MINIMAL_BUILD, "$", "malformed-json");
        event(cases, "JSON array instead of an object", "[" + MINIMAL_BUILD + "]", "$", "wrong-type");
        event(cases, "invalid UTF-8", new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, "$",
                "malformed-json");
        event(cases, "deep nesting of arrays", "{\"type\":\"build\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "x" + "[0]".repeat(31), "too-deep");
        event(cases, "deep nesting without end", "[".repeat(500_000), "$" + "[0]".repeat(32), "too-deep");
        event(cases, "huge string in an ignored field", with(MINIMAL_BUILD, e -> e.put("note", "x".repeat(100_000))), "note",
                "too-long");
        event(cases, "huge artifact name", with(MINIMAL_BUILD, e -> e.withObjectProperty("artifact").put("name", "n".repeat(10_000))),
                "artifact.name", "too-long");
        event(cases, "too many materials", with(BUILD, e -> {
            var materials = e.putArray("materials");
            for (int i = 0; i < 1001; i++) {
                materials.addObject().put("uri", "u" + i).put("digest", SampleEvents.SHA_A);
            }
        }), "materials", "too-many-items");
        event(cases, "too many labels", with(MINIMAL_BUILD, e -> {
            ObjectNode labels = e.putObject("labels");
            for (int i = 0; i < 1001; i++) {
                labels.put("l" + i, "v");
            }
        }), "labels", "too-many-entries");
        event(cases, "duplicate key", MINIMAL_BUILD.replace("\"id\":\"b-1\"", "\"id\":\"b-1\",\"id\":\"b-2\""), "id",
                "duplicate-key");
        event(cases, "number literal too long", with(RUN, e -> e.put("seed", "0")).replace("\"seed\":\"0\"",
                "\"seed\":" + "9".repeat(200)), "seed", "too-long");
        // ---- common fields
        event(cases, "missing type", with(MINIMAL_BUILD, e -> e.remove("type")), "type", "missing-field");
        event(cases, "unknown type", with(MINIMAL_BUILD, e -> e.put("type", "release")), "type", "unknown-type");
        event(cases, "type of the wrong JSON type", with(MINIMAL_BUILD, e -> e.put("type", 7)), "type", "wrong-type");
        event(cases, "missing id", with(MINIMAL_BUILD, e -> e.remove("id")), "id", "missing-field");
        event(cases, "empty id", with(MINIMAL_BUILD, e -> e.put("id", "")), "id", "empty");
        event(cases, "numeric id", with(MINIMAL_BUILD, e -> e.put("id", 42)), "id", "wrong-type");
        event(cases, "source not a URI", with(MINIMAL_BUILD, e -> e.put("source", "ci runner #7")), "source", "uri-format");
        event(cases, "missing time", with(MINIMAL_BUILD, e -> e.remove("time")), "time", "missing-field");
        event(cases, "time without zone", with(MINIMAL_BUILD, e -> e.put("time", "2024-05-01T12:00:00")), "time", "time-format");
        event(cases, "time as epoch number", with(MINIMAL_BUILD, e -> e.put("time", 1714564800)), "time", "wrong-type");
        event(cases, "time on the 31st of February", with(MINIMAL_BUILD, e -> e.put("time", "2024-02-31T12:00:00Z")), "time",
                "time-format");
        event(cases, "labels not a map of strings", with(MINIMAL_BUILD, e -> e.putObject("labels").put("team", 3)),
                "labels.team", "wrong-type");
        event(cases, "trace_id not a string", with(MINIMAL_BUILD, e -> e.putObject("trace_id")), "trace_id", "wrong-type");
        // ---- build
        event(cases, "build without artifact", with(MINIMAL_BUILD, e -> e.remove("artifact")), "artifact", "missing-field");
        event(cases, "build artifact digest with upper-case hex",
                with(MINIMAL_BUILD, e -> e.withObjectProperty("artifact").put("digest", "sha256:" + "A".repeat(64))), "artifact.digest",
                "digest-format");
        event(cases, "build artifact digest too short",
                with(MINIMAL_BUILD, e -> e.withObjectProperty("artifact").put("digest", "sha256:abc")), "artifact.digest", "digest-format");
        event(cases, "build artifact digest with md5", with(MINIMAL_BUILD,
                e -> e.withObjectProperty("artifact").put("digest", "md5:" + "a".repeat(32))), "artifact.digest", "digest-format");
        event(cases, "build artifact digest without algorithm",
                with(MINIMAL_BUILD, e -> e.withObjectProperty("artifact").put("digest", "a".repeat(64))), "artifact.digest", "digest-format");
        event(cases, "build sha512 digest of sha256 length",
                with(MINIMAL_BUILD, e -> e.withObjectProperty("artifact").put("digest", "sha512:" + "a".repeat(64))), "artifact.digest",
                "digest-format");
        event(cases, "build commit too short", with(MINIMAL_BUILD, e -> e.put("commit", "abc123")), "commit", "commit-format");
        event(cases, "build commit upper case", with(MINIMAL_BUILD, e -> e.put("commit", SampleEvents.COMMIT.toUpperCase())),
                "commit", "commit-format");
        event(cases, "build without source_repo", with(MINIMAL_BUILD, e -> e.remove("source_repo")), "source_repo",
                "missing-field");
        event(cases, "build without builder id", with(MINIMAL_BUILD, e -> e.putObject("builder")), "builder.id", "missing-field");
        event(cases, "build with a bad material digest", with(BUILD, e -> {
            var materials = e.putArray("materials");
            materials.addObject().put("uri", "a").put("digest", SampleEvents.SHA_A);
            materials.addObject().put("uri", "b").put("digest", SampleEvents.SHA_B);
            materials.addObject().put("uri", "c").put("digest", "sha256:xyz");
        }), "materials[2].digest", "digest-format");
        event(cases, "build materials not an array", with(BUILD, e -> e.put("materials", "none")), "materials", "wrong-type");
        event(cases, "build with an unknown outcome", with(MINIMAL_BUILD, e -> e.put("outcome", "passed")), "outcome",
                "enum-value");
        event(cases, "build signed as a string", with(MINIMAL_BUILD, e -> e.put("signed", "yes")), "signed", "wrong-type");
        event(cases, "build with a bad recipe digest", with(MINIMAL_BUILD, e -> e.put("recipe_digest", "sha256:")),
                "recipe_digest", "digest-format");
        event(cases, "build environment with a non-string value",
                with(MINIMAL_BUILD, e -> e.putObject("environment").put("SOURCE_DATE_EPOCH", 1714564800)),
                "environment.SOURCE_DATE_EPOCH", "wrong-type");
        // ---- deployment
        event(cases, "deployment without service", with(DEPLOYMENT, e -> e.remove("service")), "service", "missing-field");
        event(cases, "deployment without image_ref", with(DEPLOYMENT, e -> e.remove("image_ref")), "image_ref", "missing-field");
        event(cases, "deployment without kind", with(DEPLOYMENT, e -> e.remove("kind")), "kind", "missing-field");
        event(cases, "deployment with an unknown kind", with(DEPLOYMENT, e -> e.put("kind", "rolled-out")), "kind", "enum-value");
        event(cases, "deployment environment with a slash", with(DEPLOYMENT, e -> e.put("environment", "prod/eu")),
                "environment", "key-separator");
        event(cases, "deployment with a bad artifact digest", with(DEPLOYMENT, e -> e.put("artifact_digest", "latest")),
                "artifact_digest", "digest-format");
        // ---- desired
        event(cases, "desired without artifact_digest", with(DESIRED, e -> e.remove("artifact_digest")), "artifact_digest",
                "missing-field");
        event(cases, "desired with a short git_commit", with(DESIRED, e -> e.put("git_commit", "f".repeat(39))), "git_commit",
                "commit-format");
        event(cases, "desired with a bad config digest", with(DESIRED, e -> e.put("config_digest", "sha1:" + "a".repeat(40))),
                "config_digest", "digest-format");
        // ---- run
        event(cases, "run without outputs", with(RUN, e -> e.remove("outputs")), "outputs", "missing-field");
        event(cases, "run output without digest", with(RUN, e -> e.putArray("outputs").addObject().put("name", "model")),
                "outputs[0].digest", "missing-field");
        event(cases, "run without code_digest", with(RUN, e -> e.remove("code_digest")), "code_digest", "missing-field");
        event(cases, "run with a non-numeric metric", with(RUN, e -> e.putObject("metrics").put("accuracy", "high")),
                "metrics.accuracy", "wrong-type");
        event(cases, "run with a negative tolerance", with(RUN, e -> e.putObject("tolerance").put("accuracy", -0.1)),
                "tolerance.accuracy", "number-range");
        event(cases, "run metric beyond a double", with(RUN, e -> e.putObject("metrics").put("loss", 1))
                .replace("\"loss\":1", "\"loss\":1e999"), "metrics.loss", "number-range");
        event(cases, "run with a fractional seed", with(RUN, e -> e.put("seed", 1.5)), "seed", "wrong-type");
        event(cases, "run with an unknown criticality", with(RUN, e -> e.put("criticality", "critical")), "criticality",
                "enum-value");
        event(cases, "run with an unknown status", with(RUN, e -> e.put("status", "ok")), "status", "enum-value");
        event(cases, "run finished before it started", with(RUN, e -> e.put("finished_at", "2024-05-02T08:00:00Z")),
                "finished_at", "time-order");
        event(cases, "run replaying itself", with(RUN, e -> e.put("replay_of", "train-2024-05-02")), "replay_of", "self-replay");
        event(cases, "run with a bad started_at", with(RUN, e -> e.put("started_at", "yesterday")), "started_at", "time-format");
        // ---- test
        event(cases, "test without suite", with(TEST, e -> e.remove("suite")), "suite", "missing-field");
        event(cases, "test with an unknown outcome", with(TEST, e -> e.put("outcome", "passed")), "outcome", "enum-value");
        event(cases, "test without commit", with(TEST, e -> e.remove("commit")), "commit", "missing-field");
        // ---- CDEvents
        event(cases, "CDEvent of an unknown type", cd(CDEVENT_SERVICE_DEPLOYED, c -> c.put("type", "dev.cdevents.service.exploded.0.2.0")),
                "context.type", "unknown-type");
        event(cases, "CDEvent type of the wrong spec version",
                cd(CDEVENT_SERVICE_DEPLOYED, c -> c.put("type", "dev.cdevents.service.deployed.0.3.0")), "context.type",
                "unknown-type");
        event(cases, "CDEvent of an unsupported spec", cd(CDEVENT_SERVICE_DEPLOYED, c -> c.put("version", "0.3.0")),
                "context.version", "cdevents-version");
        event(cases, "CDEvent without spec version", cd(CDEVENT_SERVICE_DEPLOYED, c -> c.remove("version")),
                "context.specversion", "missing-field");
        event(cases, "CDEvent without timestamp", cd(CDEVENT_SERVICE_DEPLOYED, c -> c.remove("timestamp")), "context.timestamp",
                "missing-field");
        event(cases, "CDEvent service.deployed without environment",
                with(CDEVENT_SERVICE_DEPLOYED, e -> ((ObjectNode) e.path("subject").path("content")).remove("environment")),
                "subject.content.environment", "missing-field");
        event(cases, "CDEvent 0.4 subject of the wrong type",
                with(CDEVENT_SERVICE_DEPLOYED, e -> ((ObjectNode) e.path("subject")).put("type", "build")), "subject.type",
                "cdevent-subject");
        event(cases, "CDEvent purl with a malformed digest", with(CDEVENT_05_BUILD_FINISHED,
                e -> ((ObjectNode) e.path("subject").path("content")).put("artifactId", "pkg:oci/app@sha256%3Axyz")),
                "subject.content.artifactId", "digest-format");
        event(cases, "CDEvent customData with a bad commit",
                with(CDEVENT_05_BUILD_FINISHED, e -> ((ObjectNode) e.path("customData")).put("commit", "main")),
                "customData.commit", "commit-format");
        // ---- CloudEvents
        cases.add(new Case("structured CloudEvent of the wrong specversion", Endpoint.EVENTS,
                bytes(with(SampleEvents.structuredCloudEvent(CDEVENT_05_BUILD_FINISHED), ce -> ce.put("specversion", "0.3"))),
                CE_JSON, Map.of(), "specversion", "cloudevents"));
        cases.add(new Case("structured CloudEvent without data", Endpoint.EVENTS,
                bytes(with(SampleEvents.structuredCloudEvent(CDEVENT_05_BUILD_FINISHED), ce -> ce.remove("data"))), CE_JSON,
                Map.of(), "data", "missing-field"));
        cases.add(new Case("structured CloudEvent type differs from the CDEvent's", Endpoint.EVENTS,
                bytes(with(SampleEvents.structuredCloudEvent(CDEVENT_05_BUILD_FINISHED),
                        ce -> ce.put("type", "dev.cdevents.build.started.0.3.0"))), CE_JSON, Map.of(), "type", "cloudevents"));
        cases.add(new Case("structured CloudEvent with invalid data_base64", Endpoint.EVENTS,
                bytes(with(SampleEvents.structuredCloudEvent(CDEVENT_05_BUILD_FINISHED), ce -> {
                    ce.remove("data");
                    ce.put("data_base64", "not base64!");
                })), CE_JSON, Map.of(), "data_base64", "base64"));
        cases.add(new Case("structured CloudEvent with an invalid CDEvent inside", Endpoint.EVENTS,
                bytes(SampleEvents.structuredCloudEvent(with(CDEVENT_05_BUILD_FINISHED,
                        e -> ((ObjectNode) e.path("customData")).put("commit", "main")))), CE_JSON,
                Map.of(), "data.customData.commit", "commit-format"));
        cases.add(new Case("CloudEvents batch", Endpoint.EVENTS, bytes("[" + SampleEvents.structuredCloudEvent(
                CDEVENT_05_BUILD_FINISHED) + "]"), "application/cloudevents-batch+json", Map.of(), "$", "unsupported-mode"));
        binary(cases, "binary CloudEvent without ce-specversion", h -> h.remove("ce-specversion"), "ce-specversion", "missing-field");
        binary(cases, "binary CloudEvent of the wrong specversion", h -> h.put("ce-specversion", "0.3"), "ce-specversion",
                "cloudevents");
        binary(cases, "binary CloudEvent without ce-id", h -> h.remove("ce-id"), "ce-id", "missing-field");
        binary(cases, "binary CloudEvent with a bad ce-source", h -> h.put("ce-source", "a b c"), "ce-source", "uri-format");
        binary(cases, "binary CloudEvent of a non-CDEvent type", h -> h.put("ce-type", "com.example.build"), "ce-type",
                "unknown-type");
        binary(cases, "binary CloudEvent ce-type differs from the CDEvent's",
                h -> h.put("ce-type", "dev.cdevents.build.queued.0.3.0"), "ce-type", "cloudevents");
        binary(cases, "binary CloudEvent with a bad ce-time", h -> h.put("ce-time", "2024-13-01T00:00:00Z"), "ce-time",
                "time-format");
        cases.add(new Case("binary CloudEvent with a non-JSON body type", Endpoint.EVENTS, bytes(CDEVENT_05_BUILD_FINISHED),
                "application/xml", SampleEvents.binaryHeaders(CDEVENT_05_BUILD_FINISHED), "content-type", "cloudevents"));
        // ---- attestations
        String v1 = SampleEvents.slsaV1Statement("2024-05-01T12:00:00Z");
        attestation(cases, "attestation that is not JSON", "<xml/>", "$", "malformed-json");
        attestation(cases, "attestation of an unknown statement type", v1.replace("https://in-toto.io/Statement/v1",
                "https://in-toto.io/Statement/v9"), "_type", "attestation");
        attestation(cases, "attestation with a non-SLSA predicate", v1.replace("https://slsa.dev/provenance/v1",
                "https://spdx.dev/Document"), "predicateType", "attestation");
        attestation(cases, "attestation without subjects", with(v1, s -> s.putArray("subject")), "subject", "empty");
        attestation(cases, "attestation subject with only an md5 digest",
                with(v1, s -> ((ObjectNode) s.path("subject").get(0)).putObject("digest").put("md5", "0".repeat(32))),
                "subject[0].digest", "digest-format");
        attestation(cases, "attestation subject with a malformed sha256", with(v1,
                s -> ((ObjectNode) s.path("subject").get(1)).putObject("digest").put("sha256", "XYZ")), "subject[1].digest.sha256",
                "digest-format");
        attestation(cases, "attestation without a source commit", with(v1, s -> {
            ObjectNode definition = (ObjectNode) s.path("predicate").path("buildDefinition");
            ((ObjectNode) definition.path("externalParameters")).remove("source");
            definition.putArray("resolvedDependencies");
        }), "predicate.buildDefinition.externalParameters.source", "missing-field");
        attestation(cases, "attestation without builder id",
                with(v1, s -> ((ObjectNode) s.path("predicate").path("runDetails")).putObject("builder")),
                "predicate.runDetails.builder.id", "missing-field");
        attestation(cases, "DSSE envelope of another payload type", SampleEvents.dsse(v1)
                .replace("application/vnd.in-toto+json", "text/plain"), "payloadType", "attestation");
        attestation(cases, "DSSE envelope with a payload that is not base64",
                "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"%%%\",\"signatures\":[]}", "payload", "base64");
        attestation(cases, "DSSE envelope with a truncated statement",
                "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\""
                        + Base64.getEncoder().encodeToString(bytes(v1.substring(0, 100))) + "\",\"signatures\":[]}",
                "payload", "malformed-json");
        attestation(cases, "Sigstore bundle without a DSSE envelope",
                "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{},"
                        + "\"messageSignature\":{\"signature\":\"c2ln\"}}", "dsseEnvelope", "missing-field");
        attestation(cases, "Sigstore bundle holding a bad statement", SampleEvents.sigstoreBundle(
                v1.replace("\"gitCommit\":\"" + SampleEvents.COMMIT + "\"},\n", "\"gitCommit\":\"main\"},\n")
                        .replace("\"gitCommit\":\"" + SampleEvents.COMMIT + "\"}}", "\"gitCommit\":\"main\"}}"), 1714560000L),
                "dsseEnvelope.payload.predicate.buildDefinition.externalParameters.source.digest.gitCommit", "commit-format");
        return List.copyOf(cases);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void event(List<Case> cases, String name, String body, String field, String code) {
        event(cases, name, bytes(body), field, code);
    }

    private static void event(List<Case> cases, String name, byte[] body, String field, String code) {
        cases.add(new Case(name, Endpoint.EVENTS, body, JSON, Map.of(), field, code));
    }

    private static void attestation(List<Case> cases, String name, String body, String field, String code) {
        cases.add(new Case(name, Endpoint.ATTESTATIONS, bytes(body), JSON, Map.of(), field, code));
    }

    private static void binary(List<Case> cases, String name, Consumer<Map<String, String>> change, String field, String code) {
        Map<String, String> headers = new HashMap<>(SampleEvents.binaryHeaders(CDEVENT_05_BUILD_FINISHED));
        change.accept(headers);
        cases.add(new Case(name, Endpoint.EVENTS, bytes(CDEVENT_05_BUILD_FINISHED), JSON, Map.copyOf(headers), field, code));
    }

    /** A CDEvent with its context changed. */
    private static String cd(String cdEvent, Consumer<ObjectNode> changeContext) {
        return with(cdEvent, e -> changeContext.accept((ObjectNode) e.path("context")));
    }
}
