package dev.repro.ingest.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.Material;

/**
 * An in-toto Statement (v0.1 or v1) with SLSA provenance (v0.2 or v1), bare, in a DSSE envelope or
 * in a Sigstore bundle, to one {@link BuildEvent} per subject. See {@code docs-event-mapping.md}.
 *
 * <p>Signatures are neither verified nor trusted here: verifying needs trust roots ingest does not
 * have, so {@code signed} is left {@code null} ("not stated") for enveloped statements and
 * {@code false} for a bare statement, which provably carries no signature.
 */
final class AttestationDecoder {

    static final String TYPE = "attestation";

    static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
    static final String STATEMENT_V0_1 = "https://in-toto.io/Statement/v0.1";
    static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
    static final String SLSA_V0_2 = "https://slsa.dev/provenance/v0.2";
    static final String SLSA_V1 = "https://slsa.dev/provenance/v1";

    private final Limits limits;
    private final BoundedJsonReader reader;

    AttestationDecoder(Limits limits, BoundedJsonReader reader) {
        this.limits = limits;
        this.reader = reader;
    }

    /** Where the statement was found and what the wrapper said about time and signatures. */
    private record Unwrapped(JsonNode statement, String path, Boolean signed, Instant logTime) {
    }

    DecodedEvent decode(byte[] body, Instant fallbackTime) {
        // Envelopes quote base64 payloads and certificates: strings may be as long as an embedded document.
        int envelopeStrings = limits.maxEmbeddedDocumentBytes() / 3 * 4 + 4;
        JsonNode root = reader.read(body, "", envelopeStrings);
        Unwrapped unwrapped = unwrap(root);
        JsonObject statement = JsonObject.of(unwrapped.statement(), unwrapped.path(), limits);
        String id = CanonicalJson.sha256(unwrapped.statement());
        return mapStatement(statement, id, unwrapped, fallbackTime);
    }

    private Unwrapped unwrap(JsonNode root) {
        JsonObject top = JsonObject.of(root, "", limits);
        if (top.has("mediaType") || top.has("dsseEnvelope") || top.has("verificationMaterial")) {
            String mediaType = top.requiredString("mediaType");
            if (!mediaType.startsWith("application/vnd.dev.sigstore.bundle")) {
                throw new InvalidEventException(top.path("mediaType"),
                        "must be a Sigstore bundle media type (application/vnd.dev.sigstore.bundle...)", "attestation");
            }
            if (!top.has("dsseEnvelope")) {
                throw new InvalidEventException(top.path("dsseEnvelope"),
                        "is required: only a bundle holding a DSSE envelope carries an attestation", "missing-field");
            }
            Unwrapped inner = unwrapDsse(top.requiredObject("dsseEnvelope"));
            return new Unwrapped(inner.statement(), inner.path(), inner.signed(), earliestLogTime(top));
        }
        if (top.has("payloadType") || top.has("payload")) {
            return unwrapDsse(top);
        }
        return new Unwrapped(root, "", Boolean.FALSE, null);
    }

    private Unwrapped unwrapDsse(JsonObject envelope) {
        String payloadType = envelope.requiredString("payloadType");
        if (!payloadType.equals(IN_TOTO_PAYLOAD_TYPE)) {
            throw new InvalidEventException(envelope.path("payloadType"), "must be " + IN_TOTO_PAYLOAD_TYPE, "attestation");
        }
        String payload = envelope.requiredString("payload", limits.maxEmbeddedDocumentBytes() / 3 * 4 + 4);
        byte[] bytes = CloudEvents.base64(payload, envelope.path("payload"), limits.maxEmbeddedDocumentBytes());
        envelope.optionalArray("signatures", signature -> signature);
        JsonNode statement = reader.read(bytes, envelope.path("payload"), limits.maxEmbeddedDocumentBytes());
        return new Unwrapped(statement, envelope.path("payload"), null, null);
    }

    /** The earliest transparency-log integration time of a Sigstore bundle, if it has one. */
    private Instant earliestLogTime(JsonObject bundle) {
        JsonObject material = bundle.optionalObject("verificationMaterial");
        if (material == null) {
            return null;
        }
        Instant earliest = null;
        for (JsonObject entry : material.optionalArray("tlogEntries", e -> e)) {
            JsonNode integrated = entry.raw("integratedTime");
            if (integrated == null) {
                continue;
            }
            String text = integrated.isTextual() ? integrated.textValue() : integrated.isIntegralNumber() ? integrated.asText() : null;
            if (text == null || !text.matches("\\d{1,12}")) {
                throw new InvalidEventException(entry.path("integratedTime"), "must be Unix seconds", "time-format");
            }
            Instant time = Instant.ofEpochSecond(Long.parseLong(text));
            earliest = earliest == null || time.isBefore(earliest) ? time : earliest;
        }
        return earliest;
    }

    private DecodedEvent mapStatement(JsonObject statement, String id, Unwrapped unwrapped, Instant fallbackTime) {
        String statementType = statement.requiredString("_type");
        if (!statementType.equals(STATEMENT_V0_1) && !statementType.equals(STATEMENT_V1)) {
            throw new InvalidEventException(statement.path("_type"),
                    "must be an in-toto Statement: " + STATEMENT_V0_1 + " or " + STATEMENT_V1, "attestation");
        }
        String predicateType = statement.requiredString("predicateType");
        JsonObject predicate = statement.requiredObject("predicate");
        Provenance provenance = switch (predicateType) {
            case SLSA_V0_2 -> provenanceV02(predicate);
            case SLSA_V1 -> provenanceV1(predicate);
            default -> throw new InvalidEventException(statement.path("predicateType"),
                    "must be SLSA provenance: " + SLSA_V0_2 + " or " + SLSA_V1, "attestation");
        };
        Instant time = provenance.time() != null ? provenance.time()
                : unwrapped.logTime() != null ? unwrapped.logTime() : fallbackTime;
        if (time == null) {
            throw new InvalidEventException(provenance.timePath(),
                    "is required: the attestation states no time (no finish or start time, no transparency-log entry) "
                            + "and the caller gave no receive time",
                    "missing-field");
        }
        List<Subject> subjects = statement.requiredArray("subject", s -> subject(s));
        if (subjects.isEmpty()) {
            throw new InvalidEventException(statement.path("subject"), "must name at least one artifact", "empty");
        }
        List<TypedRecord> records = new ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            Subject subject = subjects.get(i);
            BuildEvent value = BuildEvent.newBuilder()
                    .setId(id + "/" + i)
                    .setSource(provenance.builderId())
                    .setTime(time)
                    .setLabels(Map.of())
                    .setTraceId(null)
                    .setArtifact(Artifact.newBuilder().setName(subject.name()).setDigest(subject.digest()).setUri(null).build())
                    .setSourceRepo(provenance.sourceRepo())
                    .setCommit(provenance.commit())
                    .setRecipeDigest(provenance.recipeDigest())
                    .setBuilder(BuildPlatform.newBuilder()
                            .setId(provenance.builderId())
                            .setImageDigest(provenance.builderImageDigest())
                            .build())
                    .setMaterials(provenance.materials())
                    .setEnvironment(Map.of())
                    .setRebuildOf(null)
                    .setOutcome(BuildOutcome.SUCCESS)
                    .setSigned(unwrapped.signed())
                    .build();
            records.add(NativeEventMapper.buildRecord(value));
        }
        return new DecodedEvent(id, provenance.builderId(), TYPE, time, records);
    }

    private record Subject(String name, String digest) {
    }

    private Subject subject(JsonObject subject) {
        String name = subject.requiredString("name");
        JsonObject digests = subject.requiredObject("digest");
        String digest = contractDigest(digests);
        if (digest == null) {
            throw new InvalidEventException(digests.path(),
                    "must include a sha256 (64 lowercase hex) or sha512 (128 lowercase hex) digest", "digest-format");
        }
        return new Subject(name, digest);
    }

    /** {@code sha256:<hex>} (preferred) or {@code sha512:<hex>} from an in-toto DigestSet; null when neither. */
    private static String contractDigest(JsonObject digests) {
        for (String algorithm : List.of("sha256", "sha512")) {
            String hex = digests.optionalString(algorithm);
            if (hex != null) {
                return FieldRules.digest(algorithm + ":" + hex, digests.path(algorithm));
            }
        }
        return null;
    }

    /** What a provenance predicate says, version-independently. */
    private record Provenance(String builderId, String builderImageDigest, String sourceRepo, String commit,
            String recipeDigest, List<Material> materials, Instant time, String timePath) {
    }

    /** SLSA provenance v0.2. */
    private Provenance provenanceV02(JsonObject predicate) {
        String builderId = FieldRules.uriReference(predicate.requiredObject("builder").requiredString("id"),
                predicate.requiredObject("builder").path("id"));
        predicate.requiredString("buildType");
        JsonObject invocation = predicate.requiredObject("invocation");
        JsonObject configSource = invocation.requiredObject("configSource");
        String uri = configSource.requiredString("uri");
        String commit = gitCommit(configSource.requiredObject("digest"));
        if (commit == null) {
            throw new InvalidEventException(configSource.path("digest"),
                    "must hold the git commit of the source (sha1 or gitCommit: 40 or 64 lowercase hex)", "commit-format");
        }
        List<JsonObject> materials = predicate.optionalArray("materials", m -> m);
        JsonObject metadata = predicate.optionalObject("metadata");
        Instant time = null;
        String timePath = predicate.path("metadata") + ".buildFinishedOn";
        if (metadata != null) {
            time = metadata.optionalTime("buildFinishedOn");
            if (time == null) {
                time = metadata.optionalTime("buildStartedOn");
            }
        }
        // The recipe: what was asked to be built and from what, minus who/when/where it ran.
        ObjectNode recipe = JsonNodeFactory.instance.objectNode();
        recipe.set("buildType", predicate.raw("buildType"));
        ObjectNode recipeInvocation = recipe.putObject("invocation");
        recipeInvocation.set("configSource", configSource.node());
        putIfPresent(recipeInvocation, "parameters", invocation.raw("parameters"));
        putIfPresent(recipe, "buildConfig", predicate.raw("buildConfig"));
        recipe.set("materials", identities(materials));
        return new Provenance(builderId, null, repository(uri), commit, CanonicalJson.sha256(recipe), materials(materials),
                time, timePath);
    }

    /** SLSA provenance v1. */
    private Provenance provenanceV1(JsonObject predicate) {
        JsonObject definition = predicate.requiredObject("buildDefinition");
        JsonObject runDetails = predicate.requiredObject("runDetails");
        JsonObject builder = runDetails.requiredObject("builder");
        String builderId = FieldRules.uriReference(builder.requiredString("id"), builder.path("id"));
        definition.requiredString("buildType");
        JsonObject external = definition.requiredObject("externalParameters");
        List<JsonObject> dependencies = definition.optionalArray("resolvedDependencies", d -> d);

        // The source: externalParameters.source {uri, digest} (container-based and most builders), else
        // externalParameters.workflow.repository (GitHub Actions workflow builds) matched to a resolved
        // dependency, else the first resolved dependency pinned to a git commit.
        String repoUri = null;
        String commit = null;
        String sourcePath = external.path("source");
        JsonObject source = external.raw("source") != null && external.raw("source").isObject() ? external.optionalObject("source")
                : null;
        if (source != null && source.has("uri")) {
            repoUri = source.requiredString("uri");
            commit = source.has("digest") ? gitCommit(source.requiredObject("digest")) : null;
        }
        JsonObject workflow = external.raw("workflow") != null && external.raw("workflow").isObject()
                ? external.optionalObject("workflow")
                : null;
        if (repoUri == null && workflow != null && workflow.has("repository")) {
            repoUri = workflow.requiredString("repository");
            sourcePath = workflow.path("repository");
        }
        if (commit == null) {
            for (JsonObject dependency : dependencies) {
                String uri = dependency.optionalString("uri");
                String dependencyCommit = dependency.has("digest") ? gitCommit(dependency.requiredObject("digest")) : null;
                if (uri == null || dependencyCommit == null) {
                    continue;
                }
                if (repoUri == null || repository(uri).equals(repository(repoUri))) {
                    repoUri = repoUri == null ? uri : repoUri;
                    commit = dependencyCommit;
                    break;
                }
            }
        }
        if (repoUri == null || commit == null) {
            throw new InvalidEventException(repoUri == null ? sourcePath : definition.path("resolvedDependencies"),
                    "must name the git source that was built, pinned to a commit (externalParameters.source {uri, digest} or a "
                            + "resolvedDependencies entry with a gitCommit/sha1 digest)",
                    "missing-field");
        }

        String builderImageDigest = null;
        JsonNode builderImage = external.raw("builderImage");
        if (builderImage != null && builderImage.isObject()) {
            JsonObject image = JsonObject.of(builderImage, external.path("builderImage"), limits);
            if (image.has("digest")) {
                builderImageDigest = contractDigest(image.requiredObject("digest"));
            }
        }
        JsonObject metadata = runDetails.optionalObject("metadata");
        Instant time = null;
        if (metadata != null) {
            time = metadata.optionalTime("finishedOn");
            if (time == null) {
                time = metadata.optionalTime("startedOn");
            }
        }
        // The recipe: buildType, externalParameters and the identities of the resolved dependencies;
        // internalParameters (builder-controlled: run ids, event payloads) and runDetails are run-specific.
        ObjectNode recipe = JsonNodeFactory.instance.objectNode();
        recipe.set("buildType", definition.raw("buildType"));
        recipe.set("externalParameters", external.node());
        recipe.set("resolvedDependencies", identities(dependencies));
        return new Provenance(builderId, builderImageDigest, repository(repoUri), commit, CanonicalJson.sha256(recipe),
                materials(dependencies), time, runDetails.path("metadata") + ".finishedOn");
    }

    /** A git commit from an in-toto DigestSet: {@code gitCommit} or {@code sha1} (as the GitHub generators write it). */
    private static String gitCommit(JsonObject digests) {
        for (String algorithm : List.of("gitCommit", "sha1")) {
            String hex = digests.optionalString(algorithm);
            if (hex != null) {
                return FieldRules.commit(hex, digests.path(algorithm));
            }
        }
        return null;
    }

    /**
     * The repository URL of a source URI: {@code git+https://github.com/o/r@refs/tags/v1} becomes
     * {@code https://github.com/o/r} (no {@code git+} prefix, no {@code @ref}, no {@code .git}).
     */
    static String repository(String uri) {
        String repo = uri.startsWith("git+") ? uri.substring(4) : uri;
        int schemeEnd = repo.indexOf("://");
        int at = repo.indexOf('@', schemeEnd < 0 ? 0 : schemeEnd + 3);
        int slashAfterHost = repo.indexOf('/', schemeEnd < 0 ? 0 : schemeEnd + 3);
        if (at >= 0 && at > slashAfterHost) {
            repo = repo.substring(0, at); // '@' after the host starts the ref; before it, it is userinfo
        }
        if (repo.endsWith(".git")) {
            repo = repo.substring(0, repo.length() - 4);
        }
        return repo;
    }

    /** Resolved dependencies reduced to what identifies them: uri, name, digest. */
    private static ArrayNode identities(List<JsonObject> dependencies) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (JsonObject dependency : dependencies) {
            ObjectNode identity = array.addObject();
            for (String field : List.of("uri", "name", "digest")) {
                putIfPresent(identity, field, dependency.raw(field));
            }
        }
        return array;
    }

    /** Dependencies that have a sha256 or sha512 digest, as materials; git-commit-only ones are the source. */
    private static List<Material> materials(List<JsonObject> dependencies) {
        List<Material> materials = new ArrayList<>();
        for (JsonObject dependency : dependencies) {
            String uri = dependency.optionalString("uri");
            if (uri == null) {
                uri = dependency.optionalString("name");
            }
            if (uri == null || !dependency.has("digest")) {
                continue;
            }
            String digest = contractDigest(dependency.requiredObject("digest"));
            if (digest != null) {
                materials.add(Material.newBuilder().setUri(uri).setDigest(digest).build());
            }
        }
        return materials;
    }

    private static void putIfPresent(ObjectNode target, String name, JsonNode value) {
        if (value != null) {
            target.set(name, value);
        }
    }
}
