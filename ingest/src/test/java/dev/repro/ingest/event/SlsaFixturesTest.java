package dev.repro.ingest.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.topics.TopicId;

/**
 * Real SLSA provenance from public CI builders (the slsa-verifier test data in the shared
 * fixtures): DSSE envelopes in JSON Lines and Sigstore bundles, predicates v0.2 and v1.
 */
class SlsaFixturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED_AT = Instant.parse("2025-01-01T00:00:00Z");

    private final EventDecoder decoder = new EventDecoder(Limits.defaults());

    static Stream<Arguments> attestations() {
        return Stream.of(
                Arguments.of("bcr__MODULE.bazel.intoto.jsonl", "MODULE.bazel",
                        "sha256:06ce330900a7d6403bc8d88e5dfad6aeeb8ae40179f66bb89e69c8bf6f6b1a0b",
                        "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@refs/tags/v0.0.1",
                        "https://github.com/aspect-build/rules_lint", "8f70009fde0c94ade6ce2a054b94718c819126ec"),
                Arguments.of("gha_container-based__v1.7.0__gha_container-based-binary-linux-amd64-v14.intoto.sigstore",
                        "gha_container-based-binary-linux-amd64-v14",
                        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml@refs/tags/v1.7.0",
                        "https://github.com/slsa-framework/example-package", "62cb1f1e485829bafe8bbec8b9900c0cb7624fe7"),
                Arguments.of("gha_container-based__v2.1.0__binary-linux-amd64-push-v14.intoto.build.slsa",
                        "gha_container-based-binary-linux-amd64-v14",
                        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml@refs/tags/v2.1.0",
                        "https://github.com/slsa-framework/example-package", "4d329c75e7ec1725f7c9ce917a8799d408d06be3"),
                Arguments.of("gha_generic__v2.0.0__binary-linux-amd64-push-v14.intoto.jsonl", "gha_generic-binary-linux-amd64-v14",
                        "sha256:2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd",
                        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0",
                        "https://github.com/slsa-framework/example-package", "693130cb6cb840a7bc9cb18c6510d536a95dc7e6"));
    }

    /** The attestations of a JSON Lines file: one per non-blank line (the HTTP layer splits them the same way). */
    private static List<String> lines(String file) {
        Path path = Fixtures.dir("slsa").resolve(file);
        return new String(Fixtures.read(path), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attestations")
    void shouldYieldOneBuildPerSubject(String file, String name, String digest, String builderId, String repository,
            String commit) throws IOException {
        List<String> lines = lines(file);
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            JsonNode statement = statementOf(line);

            DecodedEvent event = decoder.decodeAttestation(RawEvent.of(line.getBytes(StandardCharsets.UTF_8), null), RECEIVED_AT);

            assertThat(event.type()).isEqualTo("attestation");
            assertThat(event.id()).matches("sha256:[0-9a-f]{64}");
            assertThat(event.source()).isEqualTo(builderId);
            assertThat(event.records()).hasSize(statement.path("subject").size());
            TypedRecord record = event.records().get(0);
            assertThat(record.topic()).isEqualTo(TopicId.BUILDS);
            BuildEvent build = (BuildEvent) record.value();
            assertThat(build.getArtifact().getName()).isEqualTo(name);
            assertThat(build.getArtifact().getDigest()).isEqualTo(digest);
            assertThat(build.getBuilder().getId()).isEqualTo(builderId);
            assertThat(build.getSourceRepo()).isEqualTo(repository);
            assertThat(build.getCommit()).isEqualTo(commit);
            assertThat(build.getRecipeDigest()).matches("sha256:[0-9a-f]{64}");
            assertThat(build.getOutcome()).isEqualTo(BuildOutcome.SUCCESS);
            assertThat(build.getSigned()).isNull();
            assertThat(build.getId()).isEqualTo(event.id() + "/0");
            assertThat(record.key()).isEqualTo(name + "@" + commit + "#" + build.getRecipeDigest());
            assertThat(build.getTime()).isEqualTo(event.time()).isEqualTo(expectedTime(line));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attestations")
    void shouldDecodeEachAttestationDeterministically(String file) {
        for (String line : lines(file)) {
            RawEvent raw = RawEvent.of(line.getBytes(StandardCharsets.UTF_8), "application/json");

            assertThat(new EventDecoder(Limits.defaults()).decodeAttestation(raw, RECEIVED_AT))
                    .isEqualTo(decoder.decodeAttestation(raw, RECEIVED_AT));
        }
    }

    @org.junit.jupiter.api.Test
    void shouldGiveTheTwoContainerBasedBuildsOfTheSameTagDifferentRecipesBecauseTheirSourceCommitsDiffer() {
        BuildEvent v17 = firstBuild("gha_container-based__v1.7.0__gha_container-based-binary-linux-amd64-v14.intoto.sigstore");
        BuildEvent v21 = firstBuild("gha_container-based__v2.1.0__binary-linux-amd64-push-v14.intoto.build.slsa");

        assertThat(v17.getArtifact().getDigest()).isEqualTo(v21.getArtifact().getDigest());
        assertThat(v17.getRecipeDigest()).isNotEqualTo(v21.getRecipeDigest());
        assertThat(v17.getBuilder().getImageDigest())
                .isEqualTo("sha256:9e2ba52487d945504d250de186cb4fe2e3ba023ed2921dd6ac8b97ed43e76af9");
    }

    private BuildEvent firstBuild(String file) {
        String line = lines(file).get(0);
        return (BuildEvent) decoder.decodeAttestation(RawEvent.of(line.getBytes(StandardCharsets.UTF_8), null), RECEIVED_AT)
                .records().get(0).value();
    }

    /** The statement inside a bundle or envelope, read independently of the decoder. */
    private static JsonNode statementOf(String line) throws IOException {
        JsonNode root = JSON.readTree(line);
        JsonNode envelope = root.has("dsseEnvelope") ? root.path("dsseEnvelope") : root;
        return JSON.readTree(Base64.getDecoder().decode(envelope.path("payload").asText()));
    }

    /** The provenance's finish time, else the earliest transparency-log time, else the receive time. */
    private static Instant expectedTime(String line) throws IOException {
        JsonNode statement = statementOf(line);
        JsonNode finished = statement.path("predicate").path("runDetails").path("metadata").path("finishedOn");
        if (finished.isTextual()) {
            return Instant.parse(finished.asText());
        }
        JsonNode v02 = statement.path("predicate").path("metadata").path("buildFinishedOn");
        if (v02.isTextual()) {
            return Instant.parse(v02.asText());
        }
        Instant earliest = null;
        for (JsonNode entry : JSON.readTree(line).path("verificationMaterial").path("tlogEntries")) {
            Instant time = Instant.ofEpochSecond(Long.parseLong(entry.path("integratedTime").asText()));
            earliest = earliest == null || time.isBefore(earliest) ? time : earliest;
        }
        return earliest != null ? earliest : RECEIVED_AT;
    }
}
