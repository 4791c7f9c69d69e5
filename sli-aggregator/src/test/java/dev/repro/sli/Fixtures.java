package dev.repro.sli;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.Criticality;
import dev.repro.schema.DigestCount;
import dev.repro.schema.DriftReason;
import dev.repro.schema.DriftState;
import dev.repro.schema.DriftStatus;
import dev.repro.schema.Material;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.schema.ReplayStatus;
import dev.repro.schema.ReplayVerdict;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;
import dev.repro.schema.RunStatus;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;

/** Small builders of input records, complete and "good" unless a test changes a field. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String SHA = "sha256:" + "ab".repeat(32);
    static final Map<String, String> LABELS = Map.of("service", "payments", "team", "core", "repo", "acme/payments");

    private Fixtures() {
    }

    static Instant at(long minutes) {
        return T0.plusSeconds(minutes * 60);
    }

    static BuildEvent.Builder aBuild(String id, Instant time) {
        return BuildEvent.newBuilder().setId(id).setSource("https://ci.example.com").setTime(time).setLabels(LABELS)
                .setArtifact(Artifact.newBuilder().setName("app").setDigest(SHA).build())
                .setSourceRepo("https://git.example.com/acme/payments").setCommit(COMMIT).setRecipeDigest(SHA)
                .setBuilder(BuildPlatform.newBuilder().setId("runner-1").setImageDigest(SHA).build())
                .setMaterials(List.of(Material.newBuilder().setUri("pkg:maven/a/b@1").setDigest(SHA).build()));
    }

    static RunEvent.Builder aRun(String id, Instant time) {
        return RunEvent.newBuilder().setId(id).setSource("https://orchestrator.example.com").setTime(time).setLabels(LABELS)
                .setTraceId("trace-" + id).setRunId("run-" + id).setJob("train").setCodeDigest(SHA)
                .setEnvironmentDigest(SHA).setInputs(List.of(RunInput.newBuilder().setName("data").setDigest(SHA).build()))
                .setStatus(RunStatus.SUCCEEDED).setCriticality(Criticality.PRODUCTION)
                .setStartedAt(time.minusSeconds(60)).setFinishedAt(time);
    }

    static TestEvent.Builder aTest(String id, String suite, String environment, TestOutcome outcome, Instant time) {
        return TestEvent.newBuilder().setId(id).setSource("https://ci.example.com").setTime(time).setLabels(LABELS)
                .setSuite(suite).setCommit(COMMIT).setEnvironment(environment).setOutcome(outcome);
    }

    static ReplayVerdict.Builder aReplayVerdict(String originalRun, ReplayStatus status, Instant asOf) {
        return ReplayVerdict.newBuilder().setOriginalRunId(originalRun).setReplayRunId(originalRun + "-replay").setJob("train")
                .setCodeDigest("sha256:code-" + originalRun).setCriticality(Criticality.PRODUCTION).setStatus(status)
                .setLabels(LABELS).setAsOf(asOf);
    }

    static RebuildVerdict.Builder aRebuildVerdict(String artifact, String commit, RebuildStatus status, Instant asOf,
            int... buildsPerDigest) {
        List<DigestCount> digests = new java.util.ArrayList<>();
        for (int i = 0; i < buildsPerDigest.length; i++) {
            digests.add(DigestCount.newBuilder().setDigest("sha256:" + Integer.toString(i).repeat(64).substring(0, 64))
                    .setBuilds(buildsPerDigest[i]).setFirstBuilder("runner-" + i).build());
        }
        return RebuildVerdict.newBuilder().setRecipeKey(artifact + "@" + commit + "#" + SHA).setArtifactName(artifact)
                .setCommit(commit).setRecipeDigest(SHA).setStatus(status).setDigests(digests)
                .setBuilds(java.util.Arrays.stream(buildsPerDigest).sum()).setLabels(LABELS).setAsOf(asOf);
    }

    static DriftStatus.Builder aDrift(String service, String environment, DriftState state, String incident, Instant since,
            Instant asOf) {
        return DriftStatus.newBuilder().setTarget(service + "/" + environment + "/eu-1").setService(service)
                .setEnvironment(environment).setCluster("eu-1").setStatus(state)
                .setReasons(state == DriftState.IN_SYNC ? List.of() : List.of(DriftReason.ARTIFACT_MISMATCH))
                .setSince(since).setIncidentId(incident).setLabels(LABELS).setAsOf(asOf);
    }
}
