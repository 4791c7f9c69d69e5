package dev.repro.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.config.ReproConfig;
import dev.repro.ingest.event.MalformedEvents;
import dev.repro.ingest.http.RequestAuthenticator;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;

/**
 * Malformed, invalid, oversized, unauthenticated and misdirected requests against a running
 * ingest with credentials configured: each gets the right 4xx as problem+json naming the field
 * and the rule, none reaches a typed topic, and the service stays up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestRefusalsTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "tok-ci-0123456789abcdef";
    private static final String SECRET = "hmac-secret-0123456789";
    private static final int MAX_BODY = 64 * 1024;
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    static Path stateDir;

    private IngestService service;
    private TopicCatalog catalog;

    @BeforeAll
    void start() throws Exception {
        String prefix = KAFKA.uniquePrefix();
        catalog = TopicCatalog.of(prefix, 1, (short) 1);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        }
        service = IngestService.start(ReproConfig.of(Map.of(
                ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, prefix,
                IngestSettings.BIND, "127.0.0.1:0",
                IngestSettings.MAX_BODY_BYTES, String.valueOf(MAX_BODY),
                IngestSettings.TOKENS, "ci=" + TOKEN,
                IngestSettings.HMAC_SECRETS, "webhooks=" + SECRET,
                IngestSettings.TRANSACTIONAL_ID, prefix + "ingest",
                "REPRO_STATE_DIR", stateDir.toString())));
    }

    @AfterAll
    void stop() {
        service.close();
    }

    /** A refused request: name, method, path, content type, body, credentials, expected status and field. */
    record Case(String name, String method, String path, String contentType, byte[] body, String auth, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String build(String overrides) {
        String base = """
                "type":"build","id":"x-1","source":"https://ci.example.com","time":"2026-11-20T10:00:00Z",
                "artifact":{"name":"app","digest":"%s"},"source_repo":"https://github.com/example/app",
                "commit":"%s","builder":{"id":"https://ci.example.com/runner"}""".formatted(DIGEST, COMMIT);
        return "{" + base + (overrides.isEmpty() ? "" : "," + overrides) + "}";
    }

    private static Case invalid(String name, String json, String field) {
        return new Case(name, "POST", "/v1/events", "application/json", json.getBytes(StandardCharsets.UTF_8), "token", 400, field);
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        byte[] good = build("").getBytes(StandardCharsets.UTF_8);
        cases.add(new Case("no content type", "POST", "/v1/events", null, good, "token", 415, null));
        cases.add(new Case("text/plain", "POST", "/v1/events", "text/plain", good, "token", 415, null));
        cases.add(new Case("xml on attestations", "POST", "/v1/attestations", "application/xml", good, "token", 415, null));
        cases.add(new Case("body over the limit", "POST", "/v1/events", "application/json",
                ("{\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}").getBytes(StandardCharsets.UTF_8), "token", 413, null));
        cases.add(new Case("no credentials", "POST", "/v1/events", "application/json", good, "none", 401, null));
        cases.add(new Case("wrong bearer token", "POST", "/v1/events", "application/json", good, "wrong-token", 403, null));
        cases.add(new Case("signature of another body", "POST", "/v1/events", "application/json", good, "wrong-signature", 403, null));
        cases.add(new Case("GET on events", "GET", "/v1/events", null, new byte[0], "token", 405, null));
        cases.add(new Case("unknown path", "POST", "/v2/events", "application/json", good, "token", 404, null));
        cases.add(invalid("truncated JSON", build("").substring(0, 60), null));
        cases.add(invalid("not JSON", "type=build&id=1", null));
        cases.add(invalid("JSON array instead of object", "[1,2,3]", null));
        cases.add(invalid("deep nesting", "{\"type\":\"build\",\"labels\":" + "[".repeat(5000) + "]".repeat(5000) + "}", null));
        cases.add(invalid("unknown type", build("").replace("\"type\":\"build\"", "\"type\":\"deploy-ish\""), "type"));
        cases.add(invalid("missing id", build("").replace("\"id\":\"x-1\",", ""), "id"));
        cases.add(invalid("id is a number", build("").replace("\"id\":\"x-1\"", "\"id\":17"), "id"));
        cases.add(invalid("missing source", build("").replace("\"source\":\"https://ci.example.com\",", ""), "source"));
        cases.add(invalid("bad time", build("").replace("2026-11-20T10:00:00Z", "20/11/2026"), "time"));
        cases.add(invalid("time far in the future", build("").replace("2026-11-20T10:00:00Z", "2099-01-01T00:00:00Z"), "time"));
        cases.add(invalid("uppercase digest", build("").replace(DIGEST, "sha256:" + "A".repeat(64)), "artifact.digest"));
        cases.add(invalid("short digest", build("").replace(DIGEST, "sha256:abc"), "artifact.digest"));
        cases.add(invalid("md5 digest", build("").replace(DIGEST, "md5:" + "a".repeat(32)), "artifact.digest"));
        cases.add(invalid("short commit", build("").replace(COMMIT, "0123abc"), "commit"));
        cases.add(invalid("missing artifact", build("").replace("\"artifact\":{\"name\":\"app\",\"digest\":\"" + DIGEST + "\"},", ""), "artifact"));
        cases.add(invalid("bad outcome", build("\"outcome\":\"maybe\""), "outcome"));
        cases.add(invalid("labels not strings", build("\"labels\":{\"team\":5}"), "labels.team"));
        cases.add(invalid("huge string", build("\"rebuild_of\":\"" + "r".repeat(40_000) + "\""), "rebuild_of"));
        cases.add(invalid("bad material digest", build("\"materials\":[{\"uri\":\"git+https://x\",\"digest\":\"sha1:abc\"}]"), "materials[0].digest"));
        cases.add(invalid("deployment without service", """
                {"type":"deployment","id":"d-1","source":"https://cd.example.com","time":"2026-11-20T10:00:00Z",
                 "environment":"prod","image_ref":"reg/app@%s","kind":"deployed"}""".formatted(DIGEST), "service"));
        cases.add(invalid("deployment bad kind", """
                {"type":"deployment","id":"d-1","source":"https://cd.example.com","time":"2026-11-20T10:00:00Z",
                 "service":"app","environment":"prod","image_ref":"reg/app@%s","kind":"rumoured"}""".formatted(DIGEST), "kind"));
        cases.add(invalid("run without outputs digest", """
                {"type":"run","id":"r-1","source":"https://ml.example.com","time":"2026-11-20T10:00:00Z","run_id":"run-1",
                 "job":"train","code_digest":"%s","inputs":[],"outputs":[{"name":"model"}],"status":"succeeded",
                 "criticality":"production","started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T10:00:00Z"}"""
                .formatted(DIGEST), "outputs[0].digest"));
        cases.add(invalid("test bad outcome", """
                {"type":"test","id":"t-1","source":"https://ci.example.com","time":"2026-11-20T10:00:00Z",
                 "suite":"unit","commit":"%s","environment":"linux","outcome":"flaky"}""".formatted(COMMIT), "outcome"));
        cases.add(invalid("CloudEvent with no data", """
                {"specversion":"1.0","id":"c-1","source":"/ci","type":"dev.cdevents.build.finished.0.2.0"}""", null));
        cases.add(new Case("attestation that is not a statement", "POST", "/v1/attestations", "application/json",
                "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8), "token", 400, null));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRefuseWithAProblemNamingTheFieldAndRule(Case c) throws Exception {
        HttpResponse<String> response = send(c);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(c.status());
        assertThat(problem.get("type").asText()).startsWith("https://");
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain(TOKEN).doesNotContain(SECRET);
        if (c.field() != null) {
            assertThat(problem.get("field").asText()).isEqualTo(c.field());
            assertThat(problem.get("rule").asText()).isNotBlank();
            assertThat(problem.get("detail").asText()).startsWith(c.field() + ": ");
        }
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    /** Media types the decoder refuses that the HTTP layer already answers with 415. */
    private static final java.util.Set<String> HTTP_LEVEL_MEDIA_TYPES = java.util.Set.of(
            "application/cloudevents-batch+json", "application/xml");

    static Stream<MalformedEvents.Case> decoderCases() {
        return MalformedEvents.CASES.stream();
    }

    /** The decoder's table of malformed inputs, each posted over HTTP as a client would. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("decoderCases")
    void shouldRefuseEveryMalformedEventOfTheDecoderTableOverHttp(MalformedEvents.Case c) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url()
                        + (c.endpoint() == MalformedEvents.Endpoint.EVENTS ? "/v1/events" : "/v1/attestations")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", c.contentType() == null ? "application/json" : c.contentType())
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
        c.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-type")) {
                request.header(name, value);
            }
        });
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode problem = JSON.readTree(response.body());
        if (c.body().length > MAX_BODY) {
            assertThat(response.statusCode()).as("over the HTTP body limit first: %s", response.body()).isEqualTo(413);
        } else if (HTTP_LEVEL_MEDIA_TYPES.contains(c.contentType())) {
            assertThat(response.statusCode()).as("refused by media type first: %s", response.body()).isEqualTo(415);
        } else {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(problem.get("field").asText()).isEqualTo(c.expectedField());
            assertThat(problem.get("detail").asText()).startsWith(c.expectedField() + ": ");
        }
    }

    @Test
    void shouldAcceptTheSameEventWithValidCredentialsAndPutNoRefusedEventOnATypedTopic() throws Exception {
        byte[] good = build("").replace("x-1", "accepted-1").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> byToken = send(new Case("good", "POST", "/v1/events", "application/json", good, "token", 202, null));
        assertThat(byToken.statusCode()).as(byToken.body()).isEqualTo(202);
        byte[] other = build("").replace("x-1", "accepted-2").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> bySignature = send(new Case("signed", "POST", "/v1/events", "application/json", other, "signature", 202, null));
        assertThat(bySignature.statusCode()).as(bySignature.body()).isEqualTo(202);

        cases().forEach(a -> {
            try {
                send((Case) a.get()[0]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<ConsumerRecord<String, byte[]>> builds = readAll(catalog.name(TopicId.BUILDS), 2);
        assertThat(builds).hasSize(2);
        List<ConsumerRecord<String, byte[]>> rejected = readAll(catalog.name(TopicId.REJECTED), 1);
        assertThat(rejected).isNotEmpty();
    }

    private HttpResponse<String> send(Case c) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + c.path())).timeout(Duration.ofSeconds(30));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        switch (c.auth()) {
            case "token" -> request.header("Authorization", "Bearer " + TOKEN);
            case "wrong-token" -> request.header("Authorization", "Bearer not-the-right-token-000");
            case "signature" -> request.header(RequestAuthenticator.SIGNATURE_HEADER,
                    "sha256=" + HexFormat.of().formatHex(RequestAuthenticator.hmac(SECRET.getBytes(StandardCharsets.UTF_8), c.body())));
            case "wrong-signature" -> request.header(RequestAuthenticator.SIGNATURE_HEADER,
                    "sha256=" + HexFormat.of().formatHex(RequestAuthenticator.hmac(SECRET.getBytes(StandardCharsets.UTF_8), new byte[] {1})));
            default -> {
            }
        }
        request.method(c.method(), c.method().equals("GET") ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("isolation.level", "read_committed");
        props.put("group.id", KAFKA.uniqueName("reader"));
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int quiet = 0;
            while (System.nanoTime() < deadline && (records.size() < atLeast || quiet < 4)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                quiet = batch.isEmpty() && records.size() >= atLeast ? quiet + 1 : 0;
            }
        }
        return records;
    }
}
