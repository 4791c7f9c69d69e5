package dev.repro.ingest.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.repro.ingest.event.EventDecoder;
import dev.repro.ingest.event.Limits;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.TestEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.streams.DeadLetterHandler;
import dev.repro.topics.TopicCatalog;
import dev.repro.topics.TopicId;

class ArchiveRoutingTopologyTest {

    private static final String GOLDEN = "ingest-router-topology.txt";
    private static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:00Z");

    private final TopicCatalog catalog = TopicCatalog.defaults();
    private final AvroSerdes serdes = AvroSerdes.create();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> archive;
    private TestOutputTopic<String, byte[]> builds;
    private TestOutputTopic<String, byte[]> tests;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-router-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, catalog.name(TopicId.DEAD_LETTER));
        driver = new TopologyTestDriver(topology(Duration.ofDays(7)), props);
        archive = driver.createInputTopic(catalog.name(TopicId.ARCHIVE), new StringSerializer(), new ByteArraySerializer());
        builds = driver.createOutputTopic(catalog.name(TopicId.BUILDS), new StringDeserializer(), new ByteArrayDeserializer());
        tests = driver.createOutputTopic(catalog.name(TopicId.TESTS), new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(catalog.name(TopicId.DEAD_LETTER), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private org.apache.kafka.streams.Topology topology(Duration retention) {
        return ArchiveRoutingTopology.build(catalog, serdes, new EventDecoder(Limits.defaults()), retention);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static String build(String id, String source, String digest) {
        return """
                {"type":"build","id":"%s","source":"%s","time":"2026-11-20T09:59:00Z",
                 "artifact":{"name":"ghcr.io/example/app","digest":"%s"},
                 "source_repo":"https://github.com/example/app","commit":"0123456789abcdef0123456789abcdef01234567",
                 "builder":{"id":"https://ci.example.com/runner"}}
                """.formatted(id, source, digest);
    }

    private void pipe(String id, String source, String type, String json, Instant received) {
        ArchivedEvent archived = ArchivedEvent.newBuilder()
                .setId(id).setSource(source).setEventType(type).setContentType("application/json")
                .setHeaders(Map.of("content-type", "application/json"))
                .setBody(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(received).setEventTime(Instant.parse("2026-11-20T09:59:00Z"))
                .build();
        archive.pipeInput(new TestRecord<>(id, serdes.serialize(archived), received));
    }

    @Test
    void shouldRouteABuildToItsTopicKeyedByRecipeAndStampedWithTheReceiveTime() {
        pipe("b-1", "https://ci.example.com", "build", build("b-1", "https://ci.example.com", "sha256:" + "a".repeat(64)), RECEIVED);

        List<TestRecord<String, byte[]>> out = builds.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("ghcr.io/example/app@0123456789abcdef0123456789abcdef01234567#-");
        assertThat(out.get(0).timestamp()).as("receive time, so retention counts from arrival").isEqualTo(RECEIVED.toEpochMilli());
        assertThat(serdes.deserialize(BuildEvent.class, out.get(0).value()).getId()).isEqualTo("b-1");
    }

    @Test
    void shouldDropARepeatedSourceAndIdButKeepTheSameIdFromAnotherSource() {
        String digest = "sha256:" + "a".repeat(64);
        pipe("b-1", "https://ci.example.com", "build", build("b-1", "https://ci.example.com", digest), RECEIVED);
        pipe("b-1", "https://ci.example.com", "build", build("b-1", "https://ci.example.com", digest), RECEIVED.plusSeconds(5));
        pipe("b-1", "https://other-ci.example.com", "build", build("b-1", "https://other-ci.example.com", digest), RECEIVED.plusSeconds(6));

        assertThat(builds.readRecordsToList()).extracting(r -> serdes.deserialize(BuildEvent.class, r.value()).getSource())
                .containsExactly("https://ci.example.com", "https://other-ci.example.com");
    }

    @Test
    void shouldForgetIdsAfterTheRetentionInStreamTime() {
        driver.close();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-router-retention-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(topology(Duration.ofHours(1)), props);
        archive = driver.createInputTopic(catalog.name(TopicId.ARCHIVE), new StringSerializer(), new ByteArraySerializer());
        builds = driver.createOutputTopic(catalog.name(TopicId.BUILDS), new StringDeserializer(), new ByteArrayDeserializer());
        String digest = "sha256:" + "a".repeat(64);

        pipe("b-1", "https://ci.example.com", "build", build("b-1", "https://ci.example.com", digest), RECEIVED);
        pipe("b-2", "https://ci.example.com", "build", build("b-2", "https://ci.example.com", digest), RECEIVED.plus(Duration.ofHours(3)));
        pipe("b-1", "https://ci.example.com", "build", build("b-1", "https://ci.example.com", digest), RECEIVED.plus(Duration.ofHours(3)));

        assertThat(builds.readRecordsToList()).extracting(r -> serdes.deserialize(BuildEvent.class, r.value()).getId())
                .containsExactly("b-1", "b-2", "b-1");
    }

    @Test
    void shouldArchiveOnlyACdEventTypeWithNoTypedRecord() {
        String pipelineRun = """
                {"context":{"version":"0.4.1","id":"271069a8-fc18-44f1-b38f-9d70a1695819","source":"/event/source/123",
                 "type":"dev.cdevents.pipelinerun.queued.0.2.0","timestamp":"2023-03-20T14:27:05.315384Z"},
                 "subject":{"id":"mySubject123","source":"/event/source/123","type":"pipelineRun",
                 "content":{"pipelineName":"myPipeline","url":"https://www.example.com/mySubject123"}}}
                """;
        pipe("271069a8-fc18-44f1-b38f-9d70a1695819", "/event/source/123", "dev.cdevents.pipelinerun.queued.0.2.0", pipelineRun, RECEIVED);
        assertThat(builds.isEmpty()).isTrue();
        assertThat(tests.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterBytesThatAreNotAnArchivedEventAndKeepGoing() {
        archive.pipeInput(new TestRecord<>("junk", "not avro".getBytes(StandardCharsets.UTF_8), RECEIVED));
        pipe("b-1", "https://ci.example.com", "build", build("b-1", "https://ci.example.com", "sha256:" + "a".repeat(64)), RECEIVED);

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        RejectedEvent rejected = serdes.deserialize(RejectedEvent.class, dead.get(0).value());
        assertThat(rejected.getTopic()).isEqualTo(catalog.name(TopicId.ARCHIVE));
        assertThat(builds.readRecordsToList()).hasSize(1);
    }

    @Test
    void shouldSendAnArchivedEventThatNoLongerDecodesToRejectedNotToATypedTopic() {
        TestOutputTopic<String, byte[]> rejected = driver.createOutputTopic(catalog.name(TopicId.REJECTED),
                new StringDeserializer(), new ByteArrayDeserializer());
        pipe("b-bad", "https://ci.example.com", "build", build("b-bad", "https://ci.example.com", "sha256:short"), RECEIVED);

        assertThat(builds.isEmpty()).isTrue();
        RejectedEvent event = serdes.deserialize(RejectedEvent.class, rejected.readRecord().value());
        assertThat(event.getField()).isEqualTo("artifact.digest");
        assertThat(event.getReason()).contains("no longer decodes");
    }

    @Test
    void shouldNotChangeTheTopologyUnintentionally() throws IOException {
        String described = topology(Duration.ofDays(7)).describe().toString();
        assertThat(described).doesNotContainPattern("KSTREAM-|KTABLE-|STATE-STORE-");
        if (Boolean.getBoolean("repro.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), described, StandardCharsets.UTF_8);
        }
        try (InputStream golden = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            assertThat(golden).as("src/test/resources/" + GOLDEN + " (create it with -Drepro.golden.update=true)").isNotNull();
            assertThat(described).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldRouteATestSuiteRunKeyedBySuiteAtCommit() {
        String test = """
                {"type":"test","id":"t-1","source":"https://ci.example.com","time":"2026-11-20T09:59:00Z",
                 "suite":"unit","commit":"0123456789abcdef0123456789abcdef01234567","environment":"linux","outcome":"pass"}
                """;
        pipe("t-1", "https://ci.example.com", "test", test, RECEIVED);
        TestRecord<String, byte[]> out = tests.readRecord();
        assertThat(out.key()).isEqualTo("unit@0123456789abcdef0123456789abcdef01234567");
        assertThat(serdes.deserialize(TestEvent.class, out.value()).getEnvironment()).isEqualTo("linux");
    }
}
