package dev.repro.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

import dev.repro.schema.Alert;
import dev.repro.schema.AlertKind;
import dev.repro.schema.AlertStatus;
import dev.repro.schema.ArchivedEvent;
import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.Criticality;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.DesiredState;
import dev.repro.schema.DigestCount;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.Evidence;
import dev.repro.schema.EvidenceKind;
import dev.repro.schema.Material;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.RejectedEvent;
import dev.repro.schema.ReplayCause;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;
import dev.repro.schema.RunOutput;
import dev.repro.schema.RunStatus;
import dev.repro.schema.Severity;
import dev.repro.schema.SliValue;
import dev.repro.schema.Suspect;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;

/** Realistic contract records with every field set, as builders so a test can change what it is about. */
final class RecordFixtures {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");
    static final String DIGEST_A = "sha256:" + "a".repeat(64);
    static final String DIGEST_B = "sha256:" + "b".repeat(64);
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private RecordFixtures() {
    }

    /** One of each contract record, every optional field set. */
    static List<SpecificRecord> everyRecord() {
        return List.of(aBuild().build(), aDeployment().build(), aDesiredState().build(), aRun().build(),
                aTest().build(), aRejection().build(), anArchivedEvent().build(), aRebuildVerdict().build(),
                aReplayVerdict().build(), aDriftStatus().build(), anSliValue().build(), anAlert().build());
    }

    static BuildEvent.Builder aBuild() {
        return BuildEvent.newBuilder()
                .setId("gha-run-1001")
                .setSource("https://github.com/acme/shop/actions")
                .setTime(T0)
                .setLabels(Map.of("team", "shop", "service", "checkout"))
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .setArtifact(Artifact.newBuilder()
                        .setName("ghcr.io/acme/checkout")
                        .setDigest(DIGEST_A)
                        .setUri("ghcr.io/acme/checkout@" + DIGEST_A)
                        .build())
                .setSourceRepo("https://github.com/acme/shop")
                .setCommit(COMMIT)
                .setRecipeDigest("sha256:" + "c".repeat(64))
                .setBuilder(BuildPlatform.newBuilder()
                        .setId("https://github.com/actions/runner")
                        .setImageDigest("sha256:" + "d".repeat(64))
                        .build())
                .setMaterials(List.of(Material.newBuilder()
                        .setUri("pkg:maven/org.apache.kafka/kafka-clients@4.3.1")
                        .setDigest("sha256:" + "e".repeat(64))
                        .build()))
                .setEnvironment(Map.of("TZ", "UTC", "SOURCE_DATE_EPOCH", "1767225600"))
                .setRebuildOf("gha-run-1000")
                .setOutcome(BuildOutcome.SUCCESS)
                .setSigned(true);
    }

    static DeploymentEvent.Builder aDeployment() {
        return DeploymentEvent.newBuilder()
                .setId("argo-77")
                .setSource("https://argocd.acme.dev")
                .setTime(T0)
                .setLabels(Map.of("team", "shop"))
                .setTraceId("trace-1")
                .setService("checkout")
                .setEnvironment("prod")
                .setCluster("eu-1")
                .setArtifactDigest(DIGEST_A)
                .setImageRef("ghcr.io/acme/checkout@" + DIGEST_A)
                .setConfigDigest("sha256:" + "f".repeat(64))
                .setKind(DeploymentKind.OBSERVED);
    }

    static DesiredState.Builder aDesiredState() {
        return DesiredState.newBuilder()
                .setId("git-" + COMMIT)
                .setSource("https://github.com/acme/gitops")
                .setTime(T0)
                .setLabels(Map.of("team", "shop"))
                .setTraceId("trace-2")
                .setService("checkout")
                .setEnvironment("prod")
                .setCluster("eu-1")
                .setArtifactDigest(DIGEST_A)
                .setConfigDigest("sha256:" + "f".repeat(64))
                .setGitCommit(COMMIT);
    }

    static RunEvent.Builder aRun() {
        return RunEvent.newBuilder()
                .setId("airflow-9")
                .setSource("https://airflow.acme.dev")
                .setTime(T0)
                .setLabels(Map.of("team", "data"))
                .setTraceId("trace-3")
                .setRunId("train-2026-03-01-replay")
                .setReplayOf("train-2026-03-01")
                .setJob("train-ranker")
                .setCodeDigest(DIGEST_A)
                .setEnvironmentDigest(DIGEST_B)
                .setInputs(List.of(RunInput.newBuilder().setName("clicks").setDigest(DIGEST_B).build()))
                .setParametersDigest("sha256:" + "9".repeat(64))
                .setSeed("18446744073709551615")
                .setOutputs(List.of(RunOutput.newBuilder().setName("model").setDigest(DIGEST_A).build()))
                .setMetrics(Map.of("auc", 0.91))
                .setTolerance(Map.of("auc", 0.005))
                .setStatus(RunStatus.SUCCEEDED)
                .setCriticality(Criticality.NON_PRODUCTION)
                .setStartedAt(T0.minusSeconds(600))
                .setFinishedAt(T0);
    }

    static TestEvent.Builder aTest() {
        return TestEvent.newBuilder()
                .setId("jenkins-5")
                .setSource("https://jenkins.acme.dev")
                .setTime(T0)
                .setLabels(Map.of("repo", "acme/shop"))
                .setTraceId("trace-4")
                .setSuite("checkout-it")
                .setCommit(COMMIT)
                .setEnvironment("linux-amd64")
                .setOutcome(TestOutcome.FAIL);
    }

    static RejectedEvent.Builder aRejection() {
        return RejectedEvent.newBuilder()
                .setId("gha-run-1002")
                .setReason("artifact.digest is not <algo>:<lowercase hex>")
                .setField("$.artifact.digest")
                .setRule("digest-format")
                .setContentType("application/json")
                .setRaw(ByteBuffer.wrap("{\"type\":\"build\"}".getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(T0)
                .setTopic("repro.events.builds")
                .setPartition(2)
                .setOffset(41L);
    }

    static ArchivedEvent.Builder anArchivedEvent() {
        return ArchivedEvent.newBuilder()
                .setId("gha-run-1001")
                .setSource("https://github.com/acme/shop/actions")
                .setEventType("build")
                .setContentType("application/json")
                .setHeaders(Map.of("ce-specversion", "1.0"))
                .setBody(ByteBuffer.wrap("{\"type\":\"build\",\"id\":\"gha-run-1001\"}".getBytes(StandardCharsets.UTF_8)))
                .setReceivedAt(T0.plusMillis(5))
                .setEventTime(T0);
    }

    static RebuildVerdict.Builder aRebuildVerdict() {
        return RebuildVerdict.newBuilder()
                .setRecipeKey("ghcr.io/acme/checkout@" + COMMIT + "#-")
                .setArtifactName("ghcr.io/acme/checkout")
                .setCommit(COMMIT)
                .setRecipeDigest(null)
                .setStatus(RebuildStatus.UNREPRODUCIBLE)
                .setDigests(List.of(
                        DigestCount.newBuilder().setDigest(DIGEST_A).setBuilds(2).setFirstBuilder("gha").build(),
                        DigestCount.newBuilder().setDigest(DIGEST_B).setBuilds(1).setFirstBuilder("tekton").build()))
                .setBuilds(4)
                .setFailedBuilds(1)
                .setRegression(true)
                .setSuspects(List.of(Suspect.newBuilder()
                        .setPath("environment.SOURCE_DATE_EPOCH")
                        .setValues(Map.of(DIGEST_A, List.of("1767225600"), DIGEST_B, Arrays.asList((String) null)))
                        .setRank(1)
                        .setScore(1.0)
                        .build()))
                .setLabels(Map.of("team", "shop"))
                .setBuildIds(List.of("gha-run-1000", "gha-run-1001", "tekton-3", "tekton-4"))
                .setAsOf(T0);
    }

    static ReplayVerdict.Builder aReplayVerdict() {
        return ReplayVerdict.newBuilder()
                .setOriginalRunId("train-2026-03-01")
                .setReplayRunId("train-2026-03-01-replay")
                .setJob("train-ranker")
                .setCodeDigest(DIGEST_A)
                .setCriticality(Criticality.PRODUCTION)
                .setStatus(ReplayStatus.MISMATCH)
                .setCauses(List.of(ReplayCause.SEED_DIFFERS, ReplayCause.INPUT_HASH_MISSING))
                .setMetricDeltas(Map.of("auc", 0.02))
                .setTimeToVerifyMs(1_500L)
                .setLabels(Map.of("team", "data"))
                .setOriginalEventId("airflow-8")
                .setReplayEventId("airflow-9")
                .setAsOf(T0.plusMillis(1_500));
    }

    static DriftStatus.Builder aDriftStatus() {
        return DriftStatus.newBuilder()
                .setTarget("checkout/prod/eu-1")
                .setService("checkout")
                .setEnvironment("prod")
                .setCluster("eu-1")
                .setStatus(DriftState.DRIFTED)
                .setReasons(List.of(DriftReason.ARTIFACT_MISMATCH))
                .setDesiredArtifactDigest(DIGEST_A)
                .setObservedArtifactDigest(DIGEST_B)
                .setDesiredConfigDigest(DIGEST_A)
                .setObservedConfigDigest(DIGEST_A)
                .setImageRef("ghcr.io/acme/checkout@" + DIGEST_B)
                .setGitCommit(COMMIT)
                .setSince(T0.minusSeconds(3600))
                .setIncidentId("drift-checkout-prod-eu-1-1")
                .setClosedIncidentId("drift-checkout-prod-eu-1-0")
                .setClosedIncidentDurationMs(600_000L)
                .setLabels(Map.of("team", "shop"))
                .setDesiredEventId("git-" + COMMIT)
                .setObservedEventId("argo-77")
                .setAsOf(T0);
    }

    static SliValue.Builder anSliValue() {
        return SliValue.newBuilder()
                .setSli("artifact_reproducibility_rate")
                .setScope("service:checkout")
                .setWindow("28d")
                .setGood(95)
                .setTotal(100)
                .setValue(0.95)
                .setTarget(0.95)
                .setErrorBudgetRemaining(0.0)
                .setBurnRate(1.0)
                .setAsOf(T0);
    }

    static Alert.Builder anAlert() {
        return Alert.newBuilder()
                .setKey("rebuild/ghcr.io/acme/checkout")
                .setKind(AlertKind.UNREPRODUCIBLE_BUILD)
                .setSeverity(Severity.PAGE)
                .setStatus(AlertStatus.FIRING)
                .setSummary("ghcr.io/acme/checkout rebuilt to 2 digests (regression)")
                .setScope("ghcr.io/acme/checkout")
                .setFirstSeen(T0.minusSeconds(60))
                .setLastSeen(T0)
                .setCount(2)
                .setEvidence(List.of(Evidence.newBuilder()
                        .setKind(EvidenceKind.REBUILD_VERDICT)
                        .setKey("ghcr.io/acme/checkout@" + COMMIT + "#-")
                        .setSummary("UNREPRODUCIBLE: 2 digests, suspect environment.SOURCE_DATE_EPOCH")
                        .build()))
                .setRunbook("docs/runbooks/unreproducible-build.md")
                .setLabels(Map.of("team", "shop"))
                .setAsOf(T0);
    }
}
