package dev.repro.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;
import dev.repro.topics.TopicId;

/**
 * The CDEvents specification's own conformance examples (spec 0.4.1) and JSON schemas (0.4.1 and
 * 0.5.1), read from the shared fixtures.
 */
class CdEventsConformanceTest {

    private static final String DIGEST = "sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427";
    private static final Instant TIMESTAMP = Instant.parse("2023-03-20T14:27:05.315Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventDecoder decoder = new EventDecoder(Limits.defaults());

    static Stream<Path> conformanceFiles() {
        List<Path> files = Fixtures.jsonFiles("cdevents-0.4.1/conformance");
        assertThat(files).hasSizeGreaterThanOrEqualTo(45);
        return files.stream();
    }

    private DecodedEvent decode(Path file) {
        return decoder.decodeEvent(RawEvent.of(Fixtures.read(file), "application/json"));
    }

    private DecodedEvent decode(String name) {
        return decode(Fixtures.dir("cdevents-0.4.1/conformance").resolve(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceFiles")
    void shouldAcceptEveryConformanceExample(Path file) throws IOException {
        JsonNode context = JSON.readTree(file.toFile()).path("context");

        DecodedEvent event = decode(file);

        assertThat(event.id()).isEqualTo(context.path("id").asText());
        assertThat(event.source()).isEqualTo(context.path("source").asText());
        assertThat(event.type()).isEqualTo(context.path("type").asText());
        assertThat(event.time()).isEqualTo(Instant.parse(context.path("timestamp").asText()).truncatedTo(ChronoUnit.MILLIS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceFiles")
    void shouldAcceptEveryConformanceExampleAsACloudEventInBothModes(Path file) {
        String cdEvent = new String(Fixtures.read(file), java.nio.charset.StandardCharsets.UTF_8);
        DecodedEvent bare = decode(file);

        DecodedEvent structured = decoder.decodeEvent(
                RawEvent.of(SampleEvents.bytes(SampleEvents.structuredCloudEvent(cdEvent)), "application/cloudevents+json"));
        DecodedEvent binary = decoder.decodeEvent(
                new RawEvent(Fixtures.read(file), "application/json", SampleEvents.binaryHeaders(cdEvent)));

        assertThat(structured).isEqualTo(bare);
        assertThat(binary).isEqualTo(bare);
    }

    @Test
    void shouldMapBuildFinishedToABuildOfThePurlDigest() {
        DecodedEvent event = decode("build_finished.json");

        assertThat(event.records()).hasSize(1);
        TypedRecord record = event.records().get(0);
        assertThat(record.topic()).isEqualTo(TopicId.BUILDS);
        assertThat(record.key()).isEqualTo("myapp@unknown#-");
        BuildEvent build = (BuildEvent) record.value();
        assertThat(build.getId()).isEqualTo("271069a8-fc18-44f1-b38f-9d70a1695819");
        assertThat(build.getSource()).isEqualTo("/event/source/123");
        assertThat(build.getTime()).isEqualTo(TIMESTAMP);
        assertThat(build.getArtifact().getName()).isEqualTo("myapp");
        assertThat(build.getArtifact().getDigest()).isEqualTo(DIGEST);
        assertThat(build.getArtifact().getUri())
                .isEqualTo("pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427");
        assertThat(build.getCommit()).as("a CDEvent build names no commit").isEqualTo("unknown");
        assertThat(build.getSourceRepo()).isEqualTo("unknown");
        assertThat(build.getBuilder().getId()).as("the emitter ran the build").isEqualTo("/event/source/123");
        assertThat(build.getOutcome()).isEqualTo(BuildOutcome.SUCCESS);
        assertThat(build.getRecipeDigest()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"artifact_packaged.json", "artifact_published.json"})
    void shouldArchiveArtifactExamplesWithoutDigestWithoutATypedRecord(String name) {
        // Their purls (pkg:golang/mygit.com/myorg/myapp@234fd47e07d1004f0aed9c) carry a version, not a digest.
        DecodedEvent event = decode(name);

        assertThat(event.type()).startsWith("dev.cdevents.artifact.");
        assertThat(event.records()).isEmpty();
    }

    @Test
    void shouldMapArtifactPackagedToABuildWhenThePurlOrCustomDataGivesTheDigest() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Fixtures.read(Fixtures.dir("cdevents-0.4.1/conformance")
                .resolve("artifact_packaged.json")));
        ((ObjectNode) event.path("subject")).put("id", "pkg:oci/myapp@sha256%3A" + DIGEST.substring(7));
        ObjectNode withCustomData = event.deepCopy();
        ((ObjectNode) withCustomData.path("subject")).put("id", "pkg:golang/mygit.com/myorg/myapp@234fd47e07d1004f0aed9c");
        withCustomData.putObject("customData").put("commit", SampleEvents.COMMIT).putObject("artifact").put("digest", DIGEST);

        BuildEvent fromPurl = (BuildEvent) decoder.decodeEvent(RawEvent.of(JSON.writeValueAsBytes(event), null))
                .records().get(0).value();
        TypedRecord fromCustomData = decoder.decodeEvent(RawEvent.of(JSON.writeValueAsBytes(withCustomData), null))
                .records().get(0);

        assertThat(fromPurl.getArtifact().getName()).isEqualTo("myapp");
        assertThat(fromPurl.getArtifact().getDigest()).isEqualTo(DIGEST);
        assertThat(fromPurl.getSourceRepo()).as("the change's source repository").isEqualTo("my-git.example/an-org/a-repo");
        assertThat(fromCustomData.key()).isEqualTo("mygit.com/myorg/myapp@" + SampleEvents.COMMIT + "#-");
        assertThat(((BuildEvent) fromCustomData.value()).getArtifact().getDigest()).isEqualTo(DIGEST);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"service_deployed.json", "service_upgraded.json",
        "service_rolledback.json"})
    void shouldMapServiceDeploysToDeployments(String name) {
        DecodedEvent event = decode(name);

        assertThat(event.records()).hasSize(1);
        TypedRecord record = event.records().get(0);
        assertThat(record.topic()).isEqualTo(TopicId.DEPLOYMENTS);
        assertThat(record.key()).isEqualTo("mySubject123/test123/default");
        DeploymentEvent deployment = (DeploymentEvent) record.value();
        assertThat(deployment.getService()).isEqualTo("mySubject123");
        assertThat(deployment.getEnvironment()).isEqualTo("test123");
        assertThat(deployment.getCluster()).isNull();
        assertThat(deployment.getArtifactDigest()).isEqualTo(DIGEST);
        assertThat(deployment.getImageRef())
                .isEqualTo("pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427");
        assertThat(deployment.getKind()).isEqualTo(DeploymentKind.DEPLOYED);
        assertThat(deployment.getTime()).isEqualTo(TIMESTAMP);
    }

    @Test
    void shouldMapTestSuiteRunFinishedToATest() {
        DecodedEvent event = decode("testsuiterun_finished.json");

        assertThat(event.records()).hasSize(1);
        TypedRecord record = event.records().get(0);
        assertThat(record.topic()).isEqualTo(TopicId.TESTS);
        assertThat(record.key()).isEqualTo("Auth TestSuite@unknown");
        TestEvent test = (TestEvent) record.value();
        assertThat(test.getSuite()).isEqualTo("Auth TestSuite");
        assertThat(test.getEnvironment()).isEqualTo("dev");
        assertThat(test.getOutcome()).isEqualTo(TestOutcome.FAIL);
        assertThat(test.getCommit()).isEqualTo("unknown");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceFiles")
    void shouldProduceTypedRecordsOnlyForTheMappedTypes(Path file) {
        DecodedEvent event = decode(file);

        String name = file.getFileName().toString();
        boolean mapped = List.of("build_finished.json", "service_deployed.json", "service_upgraded.json",
                "service_rolledback.json", "testsuiterun_finished.json").contains(name);
        assertThat(event.records()).hasSize(mapped ? 1 : 0);
    }

    /** The 0.5.x form of a 0.4.1 example: specversion, the 0.5.1 schema's event version, no subject type. */
    static Stream<Path> conformanceFilesFor05() {
        return conformanceFiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conformanceFilesFor05")
    void shouldAcceptEveryEventTypeOfSpec05(Path file) throws IOException {
        String schemaName = file.getFileName().toString().replace("_", "");
        JsonNode schema = JSON.readTree(Fixtures.dir("cdevents-0.5.1/schemas").resolve(schemaName).toFile());
        String type05 = schema.path("properties").path("context").path("properties").path("type").path("enum").get(0).asText();
        ObjectNode event = (ObjectNode) JSON.readTree(file.toFile());
        ObjectNode context = (ObjectNode) event.path("context");
        context.remove("version");
        context.put("specversion", "0.5.1");
        context.put("type", type05);
        ((ObjectNode) event.path("subject")).remove("type");
        JsonNode outcome = event.path("subject").path("content").path("outcome");
        if (type05.contains("testsuiterun.finished") && outcome.isTextual()) {
            ((ObjectNode) event.path("subject").path("content")).put("outcome", switch (outcome.asText()) {
                case "pass" -> "success";
                case "fail" -> "failure";
                default -> outcome.asText();
            });
        }

        DecodedEvent decoded = decoder.decodeEvent(RawEvent.of(JSON.writeValueAsBytes(event), "application/json"));

        assertThat(decoded.type()).isEqualTo(type05);
        assertThat(decoded.records()).as("the same typed records as the 0.4.1 form").isEqualTo(decode(file).records());
    }

    @Test
    void shouldKnowTheTypeOfEverySchemaOfBothSpecs() throws IOException {
        for (String spec : List.of("0.4.1", "0.5.1")) {
            for (Path schemaFile : Fixtures.jsonFiles("cdevents-" + spec + "/schemas")) {
                JsonNode schema = JSON.readTree(schemaFile.toFile());
                String type = schema.path("properties").path("context").path("properties").path("type").path("enum").get(0).asText();
                CdEventTypes.Spec line = spec.startsWith("0.4") ? CdEventTypes.Spec.V0_4 : CdEventTypes.Spec.V0_5;

                assertThat(CdEventTypes.parse(type, line, "context.type").name()).as(schemaFile.toString()).isEqualTo(type);
            }
        }
    }
}
