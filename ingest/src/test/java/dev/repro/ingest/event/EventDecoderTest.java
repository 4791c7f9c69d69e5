package dev.repro.ingest.event;

import static dev.repro.ingest.event.SampleEvents.COMMIT;
import static dev.repro.ingest.event.SampleEvents.SHA512_D;
import static dev.repro.ingest.event.SampleEvents.SHA_A;
import static dev.repro.ingest.event.SampleEvents.SHA_B;
import static dev.repro.ingest.event.SampleEvents.SHA_C;
import static dev.repro.ingest.event.SampleEvents.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.Criticality;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.DesiredState;
import dev.repro.schema.Material;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;
import dev.repro.schema.RunOutput;
import dev.repro.schema.RunStatus;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;
import dev.repro.topics.TopicId;

class EventDecoderTest {

    private final EventDecoder decoder = new EventDecoder(Limits.defaults());

    private DecodedEvent decode(String json) {
        return decoder.decodeEvent(RawEvent.of(bytes(json), "application/json"));
    }

    private static TypedRecord only(DecodedEvent event) {
        assertThat(event.records()).hasSize(1);
        return event.records().get(0);
    }

    @Nested
    class RememberedDecodes {

        private final EventDecoder remembering = new EventDecoder(Limits.defaults(), 2);

        private RawEvent raw(String json) {
            return new RawEvent(bytes(json), "application/json", Map.of("content-type", "application/json"));
        }

        @Test
        void shouldHandADecodeOutOnceToADecodeOfEqualArguments() {
            DecodedEvent first = remembering.decodeEvent(raw(SampleEvents.BUILD));

            DecodedEvent again = remembering.decodeEvent(raw(SampleEvents.BUILD));
            DecodedEvent third = remembering.decodeEvent(raw(SampleEvents.BUILD));

            assertThat(again).as("the router's decode of the archived copy").isSameAs(first);
            assertThat(third).as("taken: decoded afresh, and equal").isNotSameAs(first).isEqualTo(first);
            assertThat(first).isEqualTo(decoder.decodeEvent(raw(SampleEvents.BUILD)));
        }

        @Test
        void shouldNotHandOutADecodeOfOtherBytesOrAnotherMediaType() {
            EventDecoder roomy = new EventDecoder(Limits.defaults(), 8);
            DecodedEvent first = roomy.decodeEvent(raw(SampleEvents.BUILD));

            assertThat(roomy.decodeEvent(RawEvent.of(bytes(SampleEvents.BUILD), null))).isNotSameAs(first);
            assertThat(roomy.decodeEvent(raw(SampleEvents.BUILD + " "))).isNotSameAs(first);
            assertThat(roomy.decodeEvent(raw(SampleEvents.BUILD))).isSameAs(first);
        }

        @Test
        void shouldNotKeepTheDecodeOfALargeBody() {
            String padded = SampleEvents.BUILD.replace("\"unknown_field\"", "\"padding\":\"" + "x".repeat(RecentDecodes.MAX_BODY_BYTES)
                    + "\",\"unknown_field\"");
            DecodedEvent first = remembering.decodeEvent(raw(padded));

            assertThat(remembering.decodeEvent(raw(padded))).isNotSameAs(first).isEqualTo(first);
        }

        @Test
        void shouldKeepOnlyTheLatestAndNothingThatFailed() {
            DecodedEvent oldest = remembering.decodeEvent(raw(SampleEvents.BUILD));
            remembering.decodeEvent(raw(SampleEvents.BUILD + "\n"));
            remembering.decodeEvent(raw(SampleEvents.BUILD + "\t"));
            assertThatThrownBy(() -> remembering.decodeEvent(raw("{\"type\":\"build\"}"))).isInstanceOf(InvalidEventException.class);

            assertThat(remembering.decodeEvent(raw(SampleEvents.BUILD))).as("dropped: two are kept").isNotSameAs(oldest);
            assertThat(decoder.decodeEvent(raw(SampleEvents.BUILD))).as("a decoder remembering none").isNotSameAs(
                    decoder.decodeEvent(raw(SampleEvents.BUILD)));
        }
    }

    @Nested
    class NativeEvents {

        @Test
        void shouldMapEveryFieldOfABuild() {
            DecodedEvent event = decode(SampleEvents.BUILD);

            assertThat(event.id()).isEqualTo("gh-run-42-1");
            assertThat(event.source()).isEqualTo("https://github.com/acme/shop/actions");
            assertThat(event.type()).isEqualTo("build");
            assertThat(event.time()).isEqualTo(Instant.parse("2024-05-01T12:00:00.123Z"));
            TypedRecord record = only(event);
            assertThat(record.topic()).isEqualTo(TopicId.BUILDS);
            assertThat(record.key()).isEqualTo("shop-api@" + COMMIT + "#" + SHA_B);
            BuildEvent build = (BuildEvent) record.value();
            assertThat(build.getId()).isEqualTo("gh-run-42-1");
            assertThat(build.getTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00.123Z"));
            assertThat(build.getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "payments", "repo", "acme/shop"));
            assertThat(build.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(build.getArtifact().getName()).isEqualTo("shop-api");
            assertThat(build.getArtifact().getDigest()).isEqualTo(SHA_A);
            assertThat(build.getArtifact().getUri()).isEqualTo("ghcr.io/acme/shop-api@" + SHA_A);
            assertThat(build.getSourceRepo()).isEqualTo("https://github.com/acme/shop");
            assertThat(build.getCommit()).isEqualTo(COMMIT);
            assertThat(build.getRecipeDigest()).isEqualTo(SHA_B);
            assertThat(build.getBuilder().getId()).isEqualTo("https://github.com/actions/runner");
            assertThat(build.getBuilder().getImageDigest()).isEqualTo(SHA_C);
            assertThat(build.getMaterials()).containsExactly(new Material("pkg:maven/org.slf4j/slf4j-api@2.0.17", SHA512_D));
            assertThat(build.getEnvironment()).containsEntry("SOURCE_DATE_EPOCH", "1714564800").hasSize(3);
            assertThat(build.getRebuildOf()).isEqualTo("gh-run-41-1");
            assertThat(build.getOutcome()).isEqualTo(BuildOutcome.FAILURE);
            assertThat(build.getSigned()).isTrue();
        }

        @Test
        void shouldDefaultAMinimalBuild() {
            TypedRecord record = only(decode(SampleEvents.MINIMAL_BUILD));

            assertThat(record.key()).isEqualTo("shop-api@" + COMMIT + "#-");
            BuildEvent build = (BuildEvent) record.value();
            assertThat(build.getOutcome()).isEqualTo(BuildOutcome.SUCCESS);
            assertThat(build.getRecipeDigest()).isNull();
            assertThat(build.getSigned()).isNull();
            assertThat(build.getMaterials()).isEmpty();
            assertThat(build.getEnvironment()).isEmpty();
            assertThat(build.getLabels()).isEmpty();
            assertThat(build.getArtifact().getUri()).isNull();
        }

        @Test
        void shouldKeyADeploymentByServiceEnvironmentAndCluster() {
            DecodedEvent event = decode(SampleEvents.DEPLOYMENT);

            assertThat(event.time()).isEqualTo(Instant.parse("2024-05-01T11:00:00Z"));
            TypedRecord record = only(event);
            assertThat(record.topic()).isEqualTo(TopicId.DEPLOYMENTS);
            assertThat(record.key()).isEqualTo("shop-api/prod/eu-west-1");
            DeploymentEvent deployment = (DeploymentEvent) record.value();
            assertThat(deployment.getArtifactDigest()).isEqualTo(SHA_A);
            assertThat(deployment.getImageRef()).isEqualTo("ghcr.io/acme/shop-api@" + SHA_A);
            assertThat(deployment.getConfigDigest()).isEqualTo(SHA_B);
            assertThat(deployment.getKind()).isEqualTo(DeploymentKind.DEPLOYED);
        }

        @Test
        void shouldUseTheDefaultClusterAndTheDigestOfAPinnedImageWhenAbsent() {
            TypedRecord record = only(decode(SampleEvents.OBSERVED_DEPLOYMENT));

            assertThat(record.key()).isEqualTo("shop-api/prod/default");
            DeploymentEvent deployment = (DeploymentEvent) record.value();
            assertThat(deployment.getCluster()).isNull();
            assertThat(deployment.getArtifactDigest()).isEqualTo(SHA_B);
            assertThat(deployment.getKind()).isEqualTo(DeploymentKind.OBSERVED);
        }

        @Test
        void shouldLeaveTheDigestOfAMutableImageReferenceUnknown() {
            String mutable = SampleEvents.with(SampleEvents.OBSERVED_DEPLOYMENT, e -> e.put("image_ref", "ghcr.io/acme/shop-api:latest"));

            DeploymentEvent deployment = (DeploymentEvent) only(decode(mutable)).value();

            assertThat(deployment.getArtifactDigest()).isNull();
            assertThat(deployment.getImageRef()).isEqualTo("ghcr.io/acme/shop-api:latest");
        }

        @Test
        void shouldKeyDesiredStateWithoutClusterForEveryCluster() {
            TypedRecord record = only(decode(SampleEvents.DESIRED));

            assertThat(record.topic()).isEqualTo(TopicId.DESIRED);
            assertThat(record.key()).isEqualTo("shop-api/prod");
            DesiredState desired = (DesiredState) record.value();
            assertThat(desired.getArtifactDigest()).isEqualTo(SHA_A);
            assertThat(desired.getGitCommit()).isEqualTo("f".repeat(64));
            assertThat(desired.getCluster()).isNull();

            TypedRecord perCluster = only(decode(SampleEvents.with(SampleEvents.DESIRED, e -> e.put("cluster", "eu-west-1"))));
            assertThat(perCluster.key()).isEqualTo("shop-api/prod/eu-west-1");
        }

        @Test
        void shouldKeyAReplayByTheOriginalRunAndKeepTheSeedExact() {
            TypedRecord record = only(decode(SampleEvents.RUN));

            assertThat(record.topic()).isEqualTo(TopicId.RUNS);
            assertThat(record.key()).isEqualTo("train-2024-05-01");
            RunEvent run = (RunEvent) record.value();
            assertThat(run.getRunId()).isEqualTo("train-2024-05-02");
            assertThat(run.getReplayOf()).isEqualTo("train-2024-05-01");
            assertThat(run.getJob()).isEqualTo("train-model");
            assertThat(run.getCodeDigest()).isEqualTo(SHA_A);
            assertThat(run.getEnvironmentDigest()).isEqualTo(SHA_B);
            assertThat(run.getInputs()).containsExactly(new RunInput("s3://data/2024-05-01.parquet", SHA_C),
                    new RunInput("feature-store", null));
            assertThat(run.getParametersDigest()).isEqualTo(SHA_A);
            assertThat(run.getSeed()).isEqualTo("18446744073709551615");
            assertThat(run.getOutputs()).containsExactly(new RunOutput("model.onnx", SHA512_D));
            assertThat(run.getMetrics()).containsExactlyInAnyOrderEntriesOf(Map.of("accuracy", 0.9731, "loss", 0.015));
            assertThat(run.getTolerance()).containsExactlyInAnyOrderEntriesOf(Map.of("accuracy", 0.001));
            assertThat(run.getStatus()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.getCriticality()).isEqualTo(Criticality.NON_PRODUCTION);
            assertThat(run.getStartedAt()).isEqualTo(Instant.parse("2024-05-02T09:00:00Z"));
            assertThat(run.getFinishedAt()).isEqualTo(Instant.parse("2024-05-02T09:59:59.999Z"));
        }

        @Test
        void shouldKeyAnOriginalRunByItsOwnId() {
            String original = SampleEvents.with(SampleEvents.RUN, e -> {
                e.remove("replay_of");
                e.put("seed", "abc");
                e.put("criticality", "production");
            });

            TypedRecord record = only(decode(original));

            assertThat(record.key()).isEqualTo("train-2024-05-02");
            assertThat(((RunEvent) record.value()).getSeed()).isEqualTo("abc");
            assertThat(((RunEvent) record.value()).getCriticality()).isEqualTo(Criticality.PRODUCTION);
        }

        @Test
        void shouldKeyATestBySuiteAtCommit() {
            TypedRecord record = only(decode(SampleEvents.TEST));

            assertThat(record.topic()).isEqualTo(TopicId.TESTS);
            assertThat(record.key()).isEqualTo("shop-api unit@" + COMMIT);
            TestEvent test = (TestEvent) record.value();
            assertThat(test.getEnvironment()).isEqualTo("linux-amd64");
            assertThat(test.getOutcome()).isEqualTo(TestOutcome.FAIL);
        }

        @Test
        void shouldAcceptLowerCaseRfc3339SeparatorsAndNullForOptionalFields() {
            String event = SampleEvents.with(SampleEvents.MINIMAL_BUILD, e -> {
                e.put("time", "2024-05-01t12:00:00.5z");
                e.putNull("recipe_digest");
                e.putNull("labels");
            });

            DecodedEvent decoded = decode(event);

            assertThat(decoded.time()).isEqualTo(Instant.parse("2024-05-01T12:00:00.500Z"));
            assertThat(((BuildEvent) only(decoded).value()).getRecipeDigest()).isNull();
        }
    }

    @Nested
    class CloudEventsAndCdEvents {

        @Test
        void shouldMapABareCdEventServiceDeployed() {
            DecodedEvent event = decode(SampleEvents.CDEVENT_SERVICE_DEPLOYED);

            assertThat(event.id()).isEqualTo("cde-1");
            assertThat(event.source()).isEqualTo("/spinnaker/prod");
            assertThat(event.type()).isEqualTo("dev.cdevents.service.deployed.0.2.0");
            TypedRecord record = only(event);
            assertThat(record.key()).isEqualTo("shop-api/prod/eu-west-1");
            DeploymentEvent deployment = (DeploymentEvent) record.value();
            assertThat(deployment.getArtifactDigest()).isEqualTo(SHA_A);
            assertThat(deployment.getImageRef()).startsWith("pkg:oci/shop-api@sha256%3A");
            assertThat(deployment.getLabels()).containsEntry("team", "payments");
            assertThat(deployment.getKind()).isEqualTo(DeploymentKind.DEPLOYED);
        }

        @Test
        void shouldDecodeTheSameCdEventInEveryModeToTheSameRecords() {
            String cdEvent = SampleEvents.CDEVENT_05_BUILD_FINISHED;
            DecodedEvent bare = decode(cdEvent);
            DecodedEvent structured = decoder.decodeEvent(
                    RawEvent.of(bytes(SampleEvents.structuredCloudEvent(cdEvent)), "application/cloudevents+json; charset=utf-8"));
            DecodedEvent binary = decoder.decodeEvent(
                    new RawEvent(bytes(cdEvent), "application/json", SampleEvents.binaryHeaders(cdEvent)));
            DecodedEvent structuredAsJson = decoder.decodeEvent(
                    RawEvent.of(bytes(SampleEvents.structuredCloudEvent(cdEvent)), "application/json"));

            assertThat(structured).isEqualTo(bare);
            assertThat(binary).isEqualTo(bare);
            assertThat(structuredAsJson).isEqualTo(bare);
            TypedRecord record = only(bare);
            assertThat(record.key()).isEqualTo("shop-api@" + COMMIT + "#-");
            BuildEvent build = (BuildEvent) record.value();
            assertThat(build.getArtifact().getDigest()).isEqualTo(SHA_A);
            assertThat(build.getSourceRepo()).isEqualTo("https://github.com/acme/shop");
            assertThat(build.getBuilder().getId()).isEqualTo("tekton-chains");
        }

        @Test
        void shouldDecodeDataBase64InStructuredMode() {
            String cdEvent = SampleEvents.CDEVENT_05_TESTSUITE_FINISHED;
            String structured = SampleEvents.with(SampleEvents.structuredCloudEvent(cdEvent), ce -> {
                ce.remove("data");
                ce.put("data_base64", java.util.Base64.getEncoder().encodeToString(bytes(cdEvent)));
            });

            DecodedEvent event = decoder.decodeEvent(RawEvent.of(bytes(structured), "application/cloudevents+json"));

            assertThat(event).isEqualTo(decode(cdEvent));
        }

        @Test
        void shouldMapA05TestSuiteRun() {
            TypedRecord record = only(decode(SampleEvents.CDEVENT_05_TESTSUITE_FINISHED));

            assertThat(record.key()).isEqualTo("checkout e2e@" + COMMIT);
            TestEvent test = (TestEvent) record.value();
            assertThat(test.getOutcome()).isEqualTo(TestOutcome.PASS);
            assertThat(test.getEnvironment()).isEqualTo("ci-large");
        }

        @Test
        void shouldAcceptOtherCdEventTypesWithoutTypedRecords() {
            DecodedEvent event = decode(SampleEvents.CDEVENT_05_PIPELINERUN_FINISHED);

            assertThat(event.type()).isEqualTo("dev.cdevents.pipelinerun.finished.0.3.0");
            assertThat(event.time()).isEqualTo(Instant.parse("2024-05-01T14:20:00Z"));
            assertThat(event.records()).isEmpty();
        }

        @Test
        void shouldArchiveOnlyAnArtifactEventWithoutDigest() {
            String noDigest = SampleEvents.with(SampleEvents.CDEVENT_05_BUILD_FINISHED, e -> {
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("context")).put("type", "dev.cdevents.artifact.packaged.0.3.0");
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("subject")).put("id", "pkg:golang/example.com/shop@v1.2.0");
                ((com.fasterxml.jackson.databind.node.ObjectNode) e.path("subject")).putObject("content").putObject("change")
                        .put("id", "c-1");
            });

            assertThat(decode(noDigest).records()).isEmpty();
        }
    }

    @Nested
    class Attestations {

        @Test
        void shouldMapEverySubjectOfAnSlsaV1StatementToABuild() {
            String statement = SampleEvents.slsaV1Statement("2024-05-01T12:00:00Z");

            DecodedEvent event = decoder.decodeAttestation(RawEvent.of(bytes(statement), "application/json"));

            assertThat(event.type()).isEqualTo("attestation");
            assertThat(event.id()).matches("sha256:[0-9a-f]{64}");
            assertThat(event.source()).isEqualTo("https://ci.acme.example/builders/make@v3");
            assertThat(event.time()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
            assertThat(event.records()).hasSize(2);
            List<BuildEvent> builds = event.records().stream().map(r -> (BuildEvent) r.value()).toList();
            assertThat(builds).extracting(b -> b.getArtifact().getName())
                    .containsExactly("shop-api-linux-amd64", "shop-api-linux-arm64");
            assertThat(builds).extracting(b -> b.getArtifact().getDigest()).containsExactly(SHA_A, SHA512_D);
            assertThat(builds).extracting(BuildEvent::getId).containsExactly(event.id() + "/0", event.id() + "/1");
            BuildEvent first = builds.get(0);
            assertThat(first.getSourceRepo()).isEqualTo("https://github.com/acme/shop");
            assertThat(first.getCommit()).isEqualTo(COMMIT);
            assertThat(first.getBuilder().getId()).isEqualTo("https://ci.acme.example/builders/make@v3");
            assertThat(first.getRecipeDigest()).matches("sha256:[0-9a-f]{64}");
            assertThat(first.getMaterials()).containsExactly(new Material("pkg:golang/golang.org/x/net@v0.25.0", SHA_C));
            assertThat(first.getOutcome()).isEqualTo(BuildOutcome.SUCCESS);
            assertThat(first.getSigned()).isFalse();
            assertThat(event.records().get(0).key()).isEqualTo("shop-api-linux-amd64@" + COMMIT + "#" + first.getRecipeDigest());
        }

        @Test
        void shouldGiveTheSameRecipeDigestToARebuildThatRanElsewhere() {
            String original = SampleEvents.slsaV1Statement("2024-05-01T12:00:00Z");
            String rebuild = original.replace("runner-17", "runner-3").replace("\"GITHUB_RUN_ID\":99", "\"GITHUB_RUN_ID\":100")
                    .replace("run-99", "run-100").replace("2024-05-01T11:59:00Z", "2024-05-02T08:00:00Z")
                    .replace("https://ci.acme.example/builders/make@v3", "https://rebuilder.example/make@v3");
            String otherTarget = original.replace("\"target\":\"release\"", "\"target\":\"debug\"");

            String recipe = recipeOf(original);

            assertThat(recipeOf(rebuild)).isEqualTo(recipe);
            assertThat(recipeOf(otherTarget)).isNotEqualTo(recipe);
        }

        private String recipeOf(String statement) {
            DecodedEvent event = decoder.decodeAttestation(RawEvent.of(bytes(statement), null));
            return ((BuildEvent) event.records().get(0).value()).getRecipeDigest();
        }

        @Test
        void shouldMapAnSlsaV02StatementInADsseEnvelope() {
            String statement = SampleEvents.slsaV02Statement();

            DecodedEvent event = decoder.decodeAttestation(RawEvent.of(bytes(SampleEvents.dsse(statement)), "application/json"));

            assertThat(event.time()).isEqualTo(Instant.parse("2024-04-30T10:05:00Z"));
            BuildEvent build = (BuildEvent) only(event).value();
            assertThat(build.getArtifact().getName()).isEqualTo("shop-cli");
            assertThat(build.getArtifact().getDigest()).isEqualTo(SHA_B);
            assertThat(build.getSourceRepo()).isEqualTo("https://github.com/acme/shop");
            assertThat(build.getCommit()).isEqualTo(COMMIT);
            assertThat(build.getBuilder().getId()).isEqualTo("https://github.com/acme/builders/go@v1");
            assertThat(build.getMaterials()).containsExactly(new Material("docker.io/library/golang@" + SHA_C, SHA_C));
            assertThat(build.getSigned()).as("signatures are not verified, so not claimed").isNull();
        }

        @Test
        void shouldGiveTheSameIdToAStatementHoweverItIsWrapped() {
            String statement = SampleEvents.slsaV1Statement("2024-05-01T12:00:00Z");
            String reformatted = SampleEvents.with(statement, s -> { }); // same JSON, other whitespace and escaping

            String bare = decoder.decodeAttestation(RawEvent.of(bytes(statement), null)).id();

            assertThat(decoder.decodeAttestation(RawEvent.of(bytes(reformatted), null)).id()).isEqualTo(bare);
            assertThat(decoder.decodeAttestation(RawEvent.of(bytes(SampleEvents.dsse(statement)), null)).id()).isEqualTo(bare);
            assertThat(decoder.decodeAttestation(RawEvent.of(bytes(SampleEvents.sigstoreBundle(statement, 1714560000L)), null)).id())
                    .isEqualTo(bare);
        }

        @Test
        void shouldTakeTheTimeFromTheTransparencyLogThenTheReceiveTime() {
            String timeless = SampleEvents.slsaV1Statement(null).replace(",\"startedOn\":\"2024-05-01T11:50:00Z\"", "")
                    .replace("\"startedOn\":\"2024-05-01T11:50:00Z\"", "");

            DecodedEvent fromLog = decoder.decodeAttestation(RawEvent.of(bytes(SampleEvents.sigstoreBundle(timeless, 1714560000L)), null));
            DecodedEvent fromReceipt = decoder.decodeAttestation(RawEvent.of(bytes(timeless), null),
                    Instant.parse("2024-05-03T00:00:00.123456Z"));
            DecodedEvent started = decoder.decodeAttestation(RawEvent.of(bytes(SampleEvents.slsaV1Statement(null)), null));

            assertThat(fromLog.time()).isEqualTo(Instant.ofEpochSecond(1714560000L));
            assertThat(fromReceipt.time()).isEqualTo(Instant.parse("2024-05-03T00:00:00.123Z"));
            assertThat(started.time()).isEqualTo(Instant.parse("2024-05-01T11:50:00Z"));
            assertThatThrownBy(() -> decoder.decodeAttestation(RawEvent.of(bytes(timeless), null)))
                    .isInstanceOfSatisfying(InvalidEventException.class,
                            e -> assertThat(e.field()).isEqualTo("predicate.runDetails.metadata.finishedOn"));
        }
    }

    @Nested
    class Determinism {

        @Test
        void shouldDecodeTheSameRawEventToEqualRecordsEveryTime() {
            List<RawEvent> events = List.of(
                    RawEvent.of(bytes(SampleEvents.BUILD), "application/json"),
                    RawEvent.of(bytes(SampleEvents.DEPLOYMENT), "application/json"),
                    RawEvent.of(bytes(SampleEvents.DESIRED), null),
                    RawEvent.of(bytes(SampleEvents.RUN), "application/json"),
                    RawEvent.of(bytes(SampleEvents.TEST), "application/json"),
                    RawEvent.of(bytes(SampleEvents.CDEVENT_SERVICE_DEPLOYED), "application/json"),
                    RawEvent.of(bytes(SampleEvents.structuredCloudEvent(SampleEvents.CDEVENT_05_BUILD_FINISHED)),
                            "application/cloudevents+json"),
                    new RawEvent(bytes(SampleEvents.CDEVENT_05_TESTSUITE_FINISHED), "application/json",
                            SampleEvents.binaryHeaders(SampleEvents.CDEVENT_05_TESTSUITE_FINISHED)));
            EventDecoder another = new EventDecoder(Limits.defaults());

            for (RawEvent raw : events) {
                DecodedEvent first = decoder.decodeEvent(raw);
                assertThat(decoder.decodeEvent(raw)).isEqualTo(first);
                assertThat(another.decodeEvent(raw)).isEqualTo(first);
                assertThat(first.records()).isNotEmpty();
            }
            RawEvent attestation = RawEvent.of(bytes(SampleEvents.dsse(SampleEvents.slsaV02Statement())), null);
            assertThat(another.decodeAttestation(attestation)).isEqualTo(decoder.decodeAttestation(attestation));
        }
    }
}
