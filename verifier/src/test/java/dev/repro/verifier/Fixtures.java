package dev.repro.verifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.Criticality;
import dev.repro.schema.Material;
import dev.repro.schema.RunEvent;
import dev.repro.schema.RunInput;
import dev.repro.schema.RunOutput;
import dev.repro.schema.RunStatus;

/** Test data builders: {@code aBuild().withDigest(..)}, {@code aRun().replayOf(..)}. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String RECIPE = "sha256:" + "ab".repeat(32);
    static final String DIGEST_A = "sha256:" + "aa".repeat(32);
    static final String DIGEST_B = "sha256:" + "bb".repeat(32);

    private Fixtures() {
    }

    static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    static BuildBuilder aBuild() {
        return new BuildBuilder();
    }

    static RunBuilder aRun() {
        return new RunBuilder();
    }

    static final class BuildBuilder {
        private String id = "build-1";
        private String source = "https://ci.example/actions";
        private Instant time = T0;
        private String artifact = "ghcr.io/example/app";
        private String digest = DIGEST_A;
        private String commit = COMMIT;
        private String recipe = RECIPE;
        private String builderId = "https://ci.example/runner";
        private String imageDigest = digest(900);
        private final Map<String, String> environment = new LinkedHashMap<>(Map.of("TZ", "UTC", "SOURCE_DATE_EPOCH", "1767225600"));
        private final List<Material> materials = new ArrayList<>();
        private String rebuildOf;
        private BuildOutcome outcome = BuildOutcome.SUCCESS;
        private Map<String, String> labels = Map.of("team", "shop");

        BuildBuilder withId(String value) { id = value; return this; }
        BuildBuilder withSource(String value) { source = value; return this; }
        BuildBuilder at(Instant value) { time = value; return this; }
        BuildBuilder atMinute(long minutes) { time = T0.plusSeconds(60 * minutes); return this; }
        BuildBuilder withArtifact(String value) { artifact = value; return this; }
        BuildBuilder withDigest(String value) { digest = value; return this; }
        BuildBuilder withCommit(String value) { commit = value; return this; }
        BuildBuilder withRecipe(String value) { recipe = value; return this; }
        BuildBuilder withBuilder(String value) { builderId = value; return this; }
        BuildBuilder withImageDigest(String value) { imageDigest = value; return this; }
        BuildBuilder withEnv(String key, String value) { environment.put(key, value); return this; }
        BuildBuilder withoutEnv(String key) { environment.remove(key); return this; }
        BuildBuilder withMaterial(String uri, String d) { materials.add(new Material(uri, d)); return this; }
        BuildBuilder rebuildOf(String value) { rebuildOf = value; return this; }
        BuildBuilder withOutcome(BuildOutcome value) { outcome = value; return this; }
        BuildBuilder withLabels(Map<String, String> value) { labels = value; return this; }

        BuildEvent build() {
            return BuildEvent.newBuilder()
                    .setId(id).setSource(source).setTime(time).setLabels(new LinkedHashMap<>(labels))
                    .setArtifact(Artifact.newBuilder().setName(artifact).setDigest(digest).build())
                    .setSourceRepo("https://git.example/app").setCommit(commit).setRecipeDigest(recipe)
                    .setBuilder(BuildPlatform.newBuilder().setId(builderId).setImageDigest(imageDigest).build())
                    .setMaterials(new ArrayList<>(materials)).setEnvironment(new LinkedHashMap<>(environment))
                    .setRebuildOf(rebuildOf).setOutcome(outcome)
                    .build();
        }

        String recipeKey() {
            return artifact + "@" + commit + "#" + (recipe == null ? "-" : recipe);
        }
    }

    static final class RunBuilder {
        private String id = "run-event-1";
        private String source = "https://pipelines.example";
        private Instant time = T0;
        private String runId = "run-1";
        private String replayOf;
        private String job = "train-model";
        private String code = digest(1);
        private String environmentDigest = digest(2);
        private final List<RunInput> inputs = new ArrayList<>(List.of(new RunInput("dataset", digest(3))));
        private String parameters = digest(4);
        private String seed = "42";
        private final List<RunOutput> outputs = new ArrayList<>(List.of(new RunOutput("model", digest(5))));
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final Map<String, Double> tolerance = new LinkedHashMap<>();
        private RunStatus status = RunStatus.SUCCEEDED;
        private Criticality criticality = Criticality.PRODUCTION;
        private Instant finishedAt;

        RunBuilder withId(String value) { id = value; return this; }
        RunBuilder withSource(String value) { source = value; return this; }
        RunBuilder atMinute(long minutes) { time = T0.plusSeconds(60 * minutes); return this; }
        RunBuilder at(Instant value) { time = value; return this; }
        RunBuilder withRunId(String value) { runId = value; return this; }
        RunBuilder replayOf(String value) { replayOf = value; return this; }
        RunBuilder withCode(String value) { code = value; return this; }
        RunBuilder withEnvironment(String value) { environmentDigest = value; return this; }
        RunBuilder withInput(String name, String d) { inputs.removeIf(i -> i.getName().equals(name)); inputs.add(new RunInput(name, d)); return this; }
        RunBuilder withParameters(String value) { parameters = value; return this; }
        RunBuilder withSeed(String value) { seed = value; return this; }
        RunBuilder withOutput(String name, String d) { outputs.removeIf(o -> o.getName().equals(name)); outputs.add(new RunOutput(name, d)); return this; }
        RunBuilder withMetric(String name, double value) { metrics.put(name, value); return this; }
        RunBuilder withTolerance(String name, double value) { tolerance.put(name, value); return this; }
        RunBuilder failed() { status = RunStatus.FAILED; return this; }
        RunBuilder nonProduction() { criticality = Criticality.NON_PRODUCTION; return this; }
        RunBuilder finishedAt(Instant value) { finishedAt = value; return this; }

        RunEvent build() {
            Instant finished = finishedAt != null ? finishedAt : time;
            return RunEvent.newBuilder()
                    .setId(id).setSource(source).setTime(time).setLabels(new LinkedHashMap<>(Map.of("team", "data")))
                    .setRunId(runId).setReplayOf(replayOf).setJob(job).setCodeDigest(code)
                    .setEnvironmentDigest(environmentDigest).setInputs(new ArrayList<>(inputs))
                    .setParametersDigest(parameters).setSeed(seed).setOutputs(new ArrayList<>(outputs))
                    .setMetrics(new LinkedHashMap<>(metrics)).setTolerance(new LinkedHashMap<>(tolerance))
                    .setStatus(status).setCriticality(criticality)
                    .setStartedAt(finished.minusSeconds(600)).setFinishedAt(finished)
                    .build();
        }

        /** The topic key: the original run id. */
        String key() {
            return replayOf != null ? replayOf : runId;
        }
    }
}
