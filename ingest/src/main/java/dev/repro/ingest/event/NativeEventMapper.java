package dev.repro.ingest.event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
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

/** Native event JSON (CONTRACT section 4) to one typed record. */
final class NativeEventMapper {

    static final List<String> TYPES = List.of("build", "deployment", "desired", "run", "test");

    static final Map<String, BuildOutcome> BUILD_OUTCOMES = symbols("success", BuildOutcome.SUCCESS, "failure",
            BuildOutcome.FAILURE, "error", BuildOutcome.ERROR);
    static final Map<String, DeploymentKind> DEPLOYMENT_KINDS = symbols("deployed", DeploymentKind.DEPLOYED, "observed",
            DeploymentKind.OBSERVED);
    static final Map<String, RunStatus> RUN_STATUSES = symbols("succeeded", RunStatus.SUCCEEDED, "failed", RunStatus.FAILED);
    static final Map<String, Criticality> CRITICALITIES = symbols("production", Criticality.PRODUCTION, "non-production",
            Criticality.NON_PRODUCTION);
    static final Map<String, TestOutcome> TEST_OUTCOMES = symbols("pass", TestOutcome.PASS, "fail", TestOutcome.FAIL, "error",
            TestOutcome.ERROR, "skip", TestOutcome.SKIP);

    /** {@code reg/app@sha256:<hex>}: an image reference pinned by digest. */
    private static final Pattern PINNED_IMAGE = Pattern.compile(".*@((?:sha256|sha512):[0-9a-f]+)");

    private NativeEventMapper() {
    }

    /** The common fields of every event. */
    record Common(String id, String source, Instant time, Map<String, String> labels, String traceId) {

        static Common read(JsonObject event) {
            return new Common(event.requiredString("id"), event.requiredUriReference("source"), event.requiredTime("time"),
                    event.stringMap("labels"), event.optionalString("trace_id"));
        }
    }

    static DecodedEvent decode(JsonObject event) {
        String type = event.requiredString("type");
        if (!TYPES.contains(type)) {
            throw new InvalidEventException(event.path("type"),
                    "must be one of " + String.join(", ", TYPES) + " (or send a CDEvent)", "unknown-type");
        }
        Common common = Common.read(event);
        TypedRecord record = switch (type) {
            case "build" -> build(event, common);
            case "deployment" -> deployment(event, common);
            case "desired" -> desired(event, common);
            case "run" -> run(event, common);
            default -> test(event, common);
        };
        return new DecodedEvent(common.id(), common.source(), type, common.time(), List.of(record));
    }

    static TypedRecord build(JsonObject event, Common common) {
        JsonObject artifact = event.requiredObject("artifact");
        JsonObject builder = event.requiredObject("builder");
        BuildEvent value = BuildEvent.newBuilder()
                .setId(common.id())
                .setSource(common.source())
                .setTime(common.time())
                .setLabels(common.labels())
                .setTraceId(common.traceId())
                .setArtifact(Artifact.newBuilder()
                        .setName(artifact.requiredString("name"))
                        .setDigest(artifact.requiredDigest("digest"))
                        .setUri(artifact.optionalString("uri"))
                        .build())
                .setSourceRepo(event.requiredUriReference("source_repo"))
                .setCommit(event.requiredCommit("commit"))
                .setRecipeDigest(event.optionalDigest("recipe_digest"))
                .setBuilder(BuildPlatform.newBuilder()
                        .setId(builder.requiredString("id"))
                        .setImageDigest(builder.optionalDigest("image_digest"))
                        .build())
                .setMaterials(event.optionalArray("materials", m -> Material.newBuilder()
                        .setUri(m.requiredString("uri"))
                        .setDigest(m.requiredDigest("digest"))
                        .build()))
                .setEnvironment(event.stringMap("environment"))
                .setRebuildOf(event.optionalString("rebuild_of"))
                .setOutcome(event.enumValue("outcome", BUILD_OUTCOMES, BuildOutcome.SUCCESS))
                .setSigned(event.optionalBoolean("signed"))
                .build();
        return buildRecord(value);
    }

    static TypedRecord buildRecord(BuildEvent value) {
        return new TypedRecord(TopicId.BUILDS,
                RecordKeys.recipe(value.getArtifact().getName(), value.getCommit(), value.getRecipeDigest()), value);
    }

    static TypedRecord deployment(JsonObject event, Common common) {
        String imageRef = event.requiredString("image_ref");
        String artifactDigest = event.optionalDigest("artifact_digest");
        DeploymentEvent value = DeploymentEvent.newBuilder()
                .setId(common.id())
                .setSource(common.source())
                .setTime(common.time())
                .setLabels(common.labels())
                .setTraceId(common.traceId())
                .setService(event.requiredKeyPart("service"))
                .setEnvironment(event.requiredKeyPart("environment"))
                .setCluster(event.optionalKeyPart("cluster"))
                .setArtifactDigest(artifactDigest != null ? artifactDigest : pinnedDigest(imageRef))
                .setImageRef(imageRef)
                .setConfigDigest(event.optionalDigest("config_digest"))
                .setKind(event.enumValue("kind", DEPLOYMENT_KINDS, null))
                .build();
        return deploymentRecord(value);
    }

    static TypedRecord deploymentRecord(DeploymentEvent value) {
        return new TypedRecord(TopicId.DEPLOYMENTS,
                RecordKeys.deployment(value.getService(), value.getEnvironment(), value.getCluster()), value);
    }

    /**
     * The digest an image reference is pinned to ({@code reg/app@sha256:<hex>}), when it is a valid
     * contract digest; {@code null} for a mutable reference ({@code reg/app:latest}).
     */
    static String pinnedDigest(String imageRef) {
        Matcher matcher = PINNED_IMAGE.matcher(imageRef);
        return matcher.matches() && FieldRules.isDigest(matcher.group(1)) ? matcher.group(1) : null;
    }

    static TypedRecord desired(JsonObject event, Common common) {
        DesiredState value = DesiredState.newBuilder()
                .setId(common.id())
                .setSource(common.source())
                .setTime(common.time())
                .setLabels(common.labels())
                .setTraceId(common.traceId())
                .setService(event.requiredKeyPart("service"))
                .setEnvironment(event.requiredKeyPart("environment"))
                .setCluster(event.optionalKeyPart("cluster"))
                .setArtifactDigest(event.requiredDigest("artifact_digest"))
                .setConfigDigest(event.optionalDigest("config_digest"))
                .setGitCommit(event.requiredCommit("git_commit"))
                .build();
        return new TypedRecord(TopicId.DESIRED,
                RecordKeys.desired(value.getService(), value.getEnvironment(), value.getCluster()), value);
    }

    static TypedRecord run(JsonObject event, Common common) {
        String runId = event.requiredString("run_id");
        String replayOf = event.optionalString("replay_of");
        if (runId.equals(replayOf)) {
            throw new InvalidEventException(event.path("replay_of"), "must name another run than run_id (a run cannot replay itself)",
                    "self-replay");
        }
        Instant startedAt = event.requiredTime("started_at");
        Instant finishedAt = event.requiredTime("finished_at");
        if (finishedAt.isBefore(startedAt)) {
            throw new InvalidEventException(event.path("finished_at"), "must not be before started_at", "time-order");
        }
        RunEvent value = RunEvent.newBuilder()
                .setId(common.id())
                .setSource(common.source())
                .setTime(common.time())
                .setLabels(common.labels())
                .setTraceId(common.traceId())
                .setRunId(runId)
                .setReplayOf(replayOf)
                .setJob(event.requiredString("job"))
                .setCodeDigest(event.requiredDigest("code_digest"))
                .setEnvironmentDigest(event.optionalDigest("environment_digest"))
                .setInputs(event.requiredArray("inputs", i -> RunInput.newBuilder()
                        .setName(i.requiredString("name"))
                        .setDigest(i.optionalDigest("digest"))
                        .build()))
                .setParametersDigest(event.optionalDigest("parameters_digest"))
                .setSeed(event.optionalStringOrInteger("seed"))
                .setOutputs(event.requiredArray("outputs", o -> RunOutput.newBuilder()
                        .setName(o.requiredString("name"))
                        .setDigest(o.requiredDigest("digest"))
                        .build()))
                .setMetrics(event.numberMap("metrics", false))
                .setTolerance(event.numberMap("tolerance", true))
                .setStatus(event.enumValue("status", RUN_STATUSES, null))
                .setCriticality(event.enumValue("criticality", CRITICALITIES, null))
                .setStartedAt(startedAt)
                .setFinishedAt(finishedAt)
                .build();
        return new TypedRecord(TopicId.RUNS, RecordKeys.run(runId, replayOf), value);
    }

    static TypedRecord test(JsonObject event, Common common) {
        TestEvent value = TestEvent.newBuilder()
                .setId(common.id())
                .setSource(common.source())
                .setTime(common.time())
                .setLabels(common.labels())
                .setTraceId(common.traceId())
                .setSuite(event.requiredString("suite"))
                .setCommit(event.requiredCommit("commit"))
                .setEnvironment(event.requiredString("environment"))
                .setOutcome(event.enumValue("outcome", TEST_OUTCOMES, null))
                .build();
        return testRecord(value);
    }

    static TypedRecord testRecord(TestEvent value) {
        return new TypedRecord(TopicId.TESTS, RecordKeys.test(value.getSuite(), value.getCommit()), value);
    }

    static <E> Map<String, E> symbols(Object... pairs) {
        Map<String, E> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            E symbol = (E) pairs[i + 1];
            map.put((String) pairs[i], symbol);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
