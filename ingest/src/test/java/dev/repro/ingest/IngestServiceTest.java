package dev.repro.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.config.ReproConfig;
import dev.repro.schema.BuildEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.testkit.Eventually;
import dev.repro.testkit.KafkaBroker;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;
import dev.repro.topics.TopicProvisioner;

/**
 * Ingest end to end on a real broker: HTTP → archive transaction → router → typed topics,
 * including the broker going away in the middle of concurrent posting.
 */
class IngestServiceTest {

    @RegisterExtension
    static final KafkaBroker KAFKA = KafkaBroker.perClass();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path stateDir;

    private IngestService service;
    private TopicCatalog catalog;

    private IngestService start() throws Exception {
        String prefix = KAFKA.uniquePrefix();
        catalog = TopicCatalog.of(prefix, 2, (short) 1);
        ReproConfig config = ReproConfig.of(Map.of(
                ReproConfig.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
                ReproConfig.TOPIC_PREFIX, prefix,
                ReproConfig.TOPIC_PARTITIONS, "2",
                IngestSettings.BIND, "127.0.0.1:0",
                IngestSettings.ACK_TIMEOUT_MS, "3000",
                IngestSettings.TRANSACTIONAL_ID, prefix + "ingest",
                "REPRO_STATE_DIR", stateDir.toString(),
                "KAFKA_COMMIT_INTERVAL_MS", "100"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(catalog.all());
        }
        service = IngestService.start(config);
        return service;
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    static String build(String id, int n) {
        return """
                {"type":"build","id":"%s","source":"https://ci.example.com/app","time":"%s",
                 "labels":{"team":"shop"},
                 "artifact":{"name":"ghcr.io/example/app","digest":"sha256:%064x"},
                 "source_repo":"https://github.com/example/app","commit":"%040x",
                 "recipe_digest":"sha256:%064x","builder":{"id":"https://ci.example.com/runner"}}
                """.formatted(id, Instant.parse("2026-11-01T00:00:00Z").plusSeconds(n), n, n % 50, n % 50);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAcceptAnEventOnceAndDeriveItsTypedRecordKeyedByRecipe() throws Exception {
        start();
        awaitReady();
        HttpResponse<String> first = post("/v1/events", "application/json", build("b-1", 1));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(first.body());
        assertThat(answer.get("id").asText()).isEqualTo("b-1");
        assertThat(answer.get("topic").asText()).isEqualTo(catalog.name(TopicId.BUILDS));

        HttpResponse<String> again = post("/v1/events", "application/json", build("b-1", 1));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();

        List<ConsumerRecord<String, byte[]>> builds = read(catalog.name(TopicId.BUILDS), 1);
        assertThat(builds).hasSize(1);
        BuildEvent event = AvroSerdes.create().deserialize(BuildEvent.class, builds.get(0).value());
        assertThat(event.getId()).isEqualTo("b-1");
        assertThat(builds.get(0).key()).isEqualTo("ghcr.io/example/app@%040x#sha256:%064x".formatted(1, 1));
        assertThat(builds.get(0).timestamp()).as("receive time").isGreaterThan(Instant.parse("2026-11-01T00:00:01Z").toEpochMilli());
        assertThat(read(catalog.name(TopicId.ARCHIVE), 1)).hasSize(1);
    }

    @Test
    void shouldAnswerEachNdjsonLineInOrderWithoutABadLineDroppingAGoodOne() throws Exception {
        start();
        awaitReady();
        String body = build("n-1", 1).replace("\n", "") + "\n{\"type\":\"build\",\"id\":\"n-2\"}\n"
                + build("n-3", 3).replace("\n", "") + "\n";
        HttpResponse<String> response = post("/v1/events", "application/x-ndjson", body);
        assertThat(response.statusCode()).isEqualTo(207);
        JsonNode results = JSON.readTree(response.body());
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).at("/problem/field").asText()).isNotBlank();
        assertThat(results.get(2).get("status").asInt()).isEqualTo(202);
        assertThat(read(catalog.name(TopicId.BUILDS), 2)).extracting(ConsumerRecord::value).hasSize(2);
    }

    @Test
    void shouldKeepEveryAcknowledgedEventExactlyOnceAndNoOtherWhenTheBrokerRestartsMidway() throws Exception {
        start();
        awaitReady();
        int count = 400;
        Map<String, Integer> statusById = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<?>> posts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "r-" + i;
            int n = i;
            if (i == count / 3) {
                // the broker stops once half of the first third is answered, the rest of it in flight
                Eventually.await("half of the first third answered", Duration.ofSeconds(60), Duration.ofMillis(5),
                        () -> statusById.size() >= count / 6);
                KAFKA.stopBroker();
            }
            if (i == 2 * count / 3) {
                KAFKA.startBroker();
            }
            posts.add(clients.submit(() -> {
                HttpResponse<String> r = post("/v1/events", "application/json", build(id, n));
                statusById.put(id, r.statusCode());
                return null;
            }));
            if (i == 2 * count / 3 - 1) {
                for (Future<?> f : posts) {
                    f.get(120, TimeUnit.SECONDS); // the second third meets a stopped broker
                }
            }
        }
        for (Future<?> f : posts) {
            f.get(120, TimeUnit.SECONDS);
        }
        clients.shutdown();
        long accepted = statusById.values().stream().filter(s -> s == 202).count();
        long unavailable = statusById.values().stream().filter(s -> s == 503).count();
        assertThat(accepted + unavailable).as("every answer is 202 or 503: %s", statusById).isEqualTo(count);
        assertThat(accepted).as("some accepted before and after the outage").isGreaterThan(count / 4);

        List<ConsumerRecord<String, byte[]>> builds = read(catalog.name(TopicId.BUILDS), (int) accepted);
        AvroSerdes serdes = AvroSerdes.create();
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : builds) {
            seen.merge(serdes.deserialize(BuildEvent.class, r.value()).getId(), 1, Integer::sum);
        }
        statusById.forEach((id, status) -> {
            if (status == 202) {
                assertThat(seen.get(id)).as("accepted %s on its topic exactly once", id).isEqualTo(1);
            } else {
                assertThat(seen).as("refused %s on no topic", id).doesNotContainKey(id);
            }
        });
        assertThat(seen.keySet()).allMatch(id -> statusById.get(id) == 202);
    }

    private void awaitReady() throws Exception {
        // generous: after the broker-restart test the router's first rebalance waits for the
        // restarted broker's coordinators, which on a loaded 2-core machine took over a minute
        Eventually.await("ingest ready", Duration.ofSeconds(120), Duration.ofMillis(100), service::isReady);
    }

    /** Every committed record of the topic, waiting until at least {@code atLeast} arrived and no more come. */
    private static List<ConsumerRecord<String, byte[]>> read(String topic, int atLeast) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", KAFKA.bootstrapServers());
        props.put("isolation.level", "read_committed");
        props.put("group.id", KAFKA.uniqueName("reader"));
        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
