package dev.repro.ingest.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.repro.ingest.event.CdEventTypes.Spec;
import dev.repro.ingest.event.CdEventTypes.Type;
import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.Material;
import dev.repro.schema.TestEvent;
import dev.repro.schema.TestOutcome;

/**
 * A CDEvent (spec 0.4.x or 0.5.x) to its typed record, if its type has one.
 *
 * <p>CDEvents do not carry everything a typed record needs. The event's {@code customData} (when it
 * is a JSON object) may supply the missing fields under their native names ({@code commit},
 * {@code source_repo}, {@code recipe_digest}, {@code builder}, {@code artifact}, {@code cluster},
 * {@code suite}, {@code labels}...), validated exactly like native fields. What is still missing is
 * mapped as {@code docs-event-mapping.md} describes: {@value #UNKNOWN} for a commit or repository
 * nobody stated, and no typed record at all when the event lacks what identifies the record (the
 * artifact digest of a build, the suite of a test run).
 */
final class CdEventMapper {

    /** Stands for a commit or source repository that the CDEvent does not state. */
    static final String UNKNOWN = "unknown";

    private static final Map<String, TestOutcome> OUTCOMES_0_4 = NativeEventMapper.symbols("pass", TestOutcome.PASS, "fail",
            TestOutcome.FAIL, "error", TestOutcome.ERROR, "cancel", TestOutcome.SKIP);
    private static final Map<String, TestOutcome> OUTCOMES_0_5 = NativeEventMapper.symbols("success", TestOutcome.PASS,
            "failure", TestOutcome.FAIL, "error", TestOutcome.ERROR, "cancel", TestOutcome.SKIP);

    private final Limits limits;

    CdEventMapper(Limits limits) {
        this.limits = limits;
    }

    /** Whether a JSON object is a bare CDEvent (it has a {@code context}). */
    static boolean looksLikeCdEvent(JsonNode root) {
        return root.isObject() && root.has("context");
    }

    DecodedEvent decode(JsonObject event) {
        JsonObject context = event.requiredObject("context");
        Spec spec = spec(context);
        String id = context.requiredString("id");
        String source = context.requiredUriReference("source");
        String typeName = context.requiredString("type");
        Type type = CdEventTypes.parse(typeName, spec, context.path("type"));
        Instant time = context.requiredTime("timestamp");
        context.optionalString("chainId");
        context.optionalString("schemaUri");
        if (context.has("links") && !context.raw("links").isArray()) {
            throw new InvalidEventException(context.path("links"), "must be an array", "wrong-type");
        }

        JsonObject subject = event.requiredObject("subject");
        subject.requiredString("id");
        String subjectSource = subject.optionalString("source");
        if (subjectSource != null) {
            FieldRules.uriReference(subjectSource, subject.path("source"));
        }
        String expectedSubjectType = CdEventTypes.subjectType(type.subject());
        String subjectType = spec == Spec.V0_4 ? subject.requiredString("type") : subject.optionalString("type");
        if (subjectType != null && !subjectType.equals(expectedSubjectType)) {
            throw new InvalidEventException(subject.path("type"), "must be '" + expectedSubjectType + "' for " + typeName,
                    "cdevent-subject");
        }
        JsonObject content = subject.requiredObject("content");
        JsonNode customNode = event.raw("customData");
        JsonObject custom = customNode != null && customNode.isObject() ? JsonObject.of(customNode, event.path("customData"), limits)
                : null;

        Context common = new Context(id, source, time, custom);
        List<TypedRecord> records = switch (type.event()) {
            case "build.finished" -> build(common, content.optionalString("artifactId"), content.path("artifactId"), null);
            case "artifact.packaged", "artifact.published" -> build(common, subject.requiredString("id"), subject.path("id"),
                    changeSource(content));
            case "service.deployed", "service.upgraded", "service.rolledback" -> List.of(deployment(common, subject, content));
            case "testsuiterun.finished" -> test(common, content, spec);
            default -> List.of();
        };
        return new DecodedEvent(id, source, typeName, time, records);
    }

    /** The context fields every mapped record shares, and the optional customData object. */
    private record Context(String id, String source, Instant time, JsonObject custom) {

        Map<String, String> labels() {
            return custom == null ? Map.of() : custom.stringMap("labels");
        }

        String traceId() {
            return custom == null ? null : custom.optionalString("trace_id");
        }

        String string(String name) {
            return custom == null ? null : custom.optionalString(name);
        }
    }

    private static Spec spec(JsonObject context) {
        for (Spec spec : Spec.values()) {
            String version = context.optionalString(spec.contextField);
            if (version != null) {
                if (!spec.versions.matcher(version).matches()) {
                    throw new InvalidEventException(context.path(spec.contextField), spec == Spec.V0_4
                            ? "must be a CDEvents 0.4.x spec version (0.5.x events name it context.specversion)"
                            : "must be a CDEvents 0.5.x spec version (0.4.x events name it context.version)",
                            "cdevents-version");
                }
                return spec;
            }
        }
        throw new InvalidEventException(context.path("specversion"),
                "is required (CDEvents 0.5.x; spec 0.4.x names it context.version)", "missing-field");
    }

    private static String changeSource(JsonObject content) {
        JsonObject change = content.optionalObject("change");
        if (change == null) {
            return null;
        }
        change.requiredString("id");
        String source = change.optionalString("source");
        return source == null ? null : FieldRules.uriReference(source, change.path("source"));
    }

    /**
     * build.finished and artifact.packaged|published: a build of the artifact the purl names, when its
     * digest is known (from the purl's version {@code sha256%3A...} or customData.artifact.digest).
     */
    private List<TypedRecord> build(Context event, String artifactId, String artifactIdPath, String changeSource) {
        JsonObject customArtifact = event.custom() == null ? null : event.custom().optionalObject("artifact");
        PackageUrl purl = artifactId == null ? null : PackageUrl.parse(artifactId);
        String digest = null;
        if (purl != null && purl.versionIsDigest()) {
            digest = FieldRules.isDigest(purl.version()) ? purl.version() : null;
            if (digest == null) {
                throw new InvalidEventException(artifactIdPath, "the purl's version is a digest, so it " + FieldRules.DIGEST_RULE
                        + " (percent-encoded ':' as %3A)", "digest-format");
            }
        }
        if (customArtifact != null && customArtifact.has("digest")) {
            String custom = customArtifact.requiredDigest("digest");
            digest = digest == null ? custom : digest;
        }
        if (digest == null) {
            return List.of(); // a build with no artifact digest cannot be compared: archived only
        }
        String name = customArtifact == null ? null : customArtifact.optionalString("name");
        if (name == null) {
            name = purl != null ? purl.artifactName() : artifactId;
        }
        if (name == null) {
            throw customArtifact.missing("name");
        }
        String uri = customArtifact == null ? null : customArtifact.optionalString("uri");
        JsonObject custom = event.custom();
        String commit = custom == null || !custom.has("commit") ? UNKNOWN : custom.requiredCommit("commit");
        String sourceRepo = event.string("source_repo");
        if (sourceRepo != null) {
            FieldRules.uriReference(sourceRepo, custom.path("source_repo"));
        } else {
            sourceRepo = changeSource != null ? changeSource : UNKNOWN;
        }
        JsonObject builder = custom == null ? null : custom.optionalObject("builder");
        BuildEvent value = BuildEvent.newBuilder()
                .setId(event.id())
                .setSource(event.source())
                .setTime(event.time())
                .setLabels(event.labels())
                .setTraceId(event.traceId())
                .setArtifact(Artifact.newBuilder().setName(name).setDigest(digest).setUri(uri != null ? uri : artifactId).build())
                .setSourceRepo(sourceRepo)
                .setCommit(commit)
                .setRecipeDigest(custom == null ? null : custom.optionalDigest("recipe_digest"))
                .setBuilder(BuildPlatform.newBuilder()
                        .setId(builder == null ? event.source() : builder.requiredString("id"))
                        .setImageDigest(builder == null ? null : builder.optionalDigest("image_digest"))
                        .build())
                .setMaterials(custom == null ? List.of() : custom.optionalArray("materials", m -> Material.newBuilder()
                        .setUri(m.requiredString("uri"))
                        .setDigest(m.requiredDigest("digest"))
                        .build()))
                .setEnvironment(custom == null ? Map.of() : custom.stringMap("environment"))
                .setRebuildOf(event.string("rebuild_of"))
                .setOutcome(custom == null ? BuildOutcome.SUCCESS
                        : custom.enumValue("outcome", NativeEventMapper.BUILD_OUTCOMES, BuildOutcome.SUCCESS))
                .setSigned(custom == null ? null : custom.optionalBoolean("signed"))
                .build();
        return List.of(NativeEventMapper.buildRecord(value));
    }

    /** service.deployed|upgraded|rolledback: a deploy of the artifact to the environment. */
    private static TypedRecord deployment(Context event, JsonObject subject, JsonObject content) {
        String service = FieldRules.keyPart(subject.requiredString("id"), subject.path("id"));
        JsonObject environment = content.requiredObject("environment");
        String environmentId = environment.requiredKeyPart("id");
        String artifactId = content.requiredString("artifactId");
        PackageUrl purl = PackageUrl.parse(artifactId);
        String digest = null;
        if (purl != null && purl.versionIsDigest()) {
            digest = FieldRules.digest(purl.version(), content.path("artifactId"));
        } else {
            digest = NativeEventMapper.pinnedDigest(artifactId);
        }
        JsonObject custom = event.custom();
        if (digest == null && custom != null) {
            digest = custom.optionalDigest("artifact_digest");
        }
        String imageRef = event.string("image_ref");
        DeploymentEvent value = DeploymentEvent.newBuilder()
                .setId(event.id())
                .setSource(event.source())
                .setTime(event.time())
                .setLabels(event.labels())
                .setTraceId(event.traceId())
                .setService(service)
                .setEnvironment(environmentId)
                .setCluster(custom == null ? null : custom.optionalKeyPart("cluster"))
                .setArtifactDigest(digest)
                .setImageRef(imageRef != null ? imageRef : artifactId)
                .setConfigDigest(custom == null ? null : custom.optionalDigest("config_digest"))
                .setKind(DeploymentKind.DEPLOYED)
                .build();
        return NativeEventMapper.deploymentRecord(value);
    }

    /** testsuiterun.finished: the suite's outcome at a commit in an environment. */
    private static List<TypedRecord> test(Context event, JsonObject content, Spec spec) {
        String environment = content.requiredObject("environment").requiredString("id");
        TestOutcome outcome = content.enumValue("outcome", spec == Spec.V0_4 ? OUTCOMES_0_4 : OUTCOMES_0_5, null);
        JsonObject testSuite = content.optionalObject("testSuite");
        String suite = event.string("suite");
        if (suite == null && testSuite != null) {
            String suiteId = testSuite.requiredString("id");
            String name = testSuite.optionalString("name");
            suite = name != null ? name : suiteId;
        }
        if (suite == null) {
            return List.of(); // which suite ran is unknown: archived only
        }
        JsonObject custom = event.custom();
        String commit = custom == null || !custom.has("commit") ? UNKNOWN : custom.requiredCommit("commit");
        TestEvent value = TestEvent.newBuilder()
                .setId(event.id())
                .setSource(event.source())
                .setTime(event.time())
                .setLabels(event.labels())
                .setTraceId(event.traceId())
                .setSuite(suite)
                .setCommit(commit)
                .setEnvironment(environment)
                .setOutcome(outcome)
                .build();
        return List.of(NativeEventMapper.testRecord(value));
    }
}
