package dev.repro.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.repro.schema.Artifact;
import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.BuildPlatform;
import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DeploymentKind;
import dev.repro.schema.Material;
import dev.repro.serde.AvroSerdes;
import dev.repro.topics.RecipeKey;

/**
 * Realistic build events of the contract's typical shape and size (an artifact, a builder with
 * an image digest, three materials, a toolchain environment, labels), with random digests so
 * the bytes compress as real ones do. Seeded: the same seed gives the same records.
 */
final class SampleEvents {

    private static final String[] SERVICES = {"checkout", "payments", "search", "catalog", "auth", "gateway"};
    private static final String[] TEAMS = {"shop", "platform", "data"};

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final SplittableRandom random;
    private final AvroSerdes serdes;
    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");

    SampleEvents(long seed, AvroSerdes serdes) {
        this.random = new SplittableRandom(seed);
        this.serdes = serdes;
    }

    record Keyed(byte[] key, byte[] value) {
    }

    /** {@code count} serialized build events keyed by recipe key, over {@code recipes} distinct recipes. */
    List<Keyed> builds(int count, int recipes) {
        List<Keyed> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(keyedBuild(i, random.nextInt(recipes)));
        }
        return out;
    }

    /** Build number {@code sequence} of recipe number {@code recipe}, serialized and keyed by its recipe key. */
    Keyed keyedBuild(int sequence, int recipe) {
        BuildEvent build = build(sequence, recipe);
        String recipeKey = build.getArtifact().getName() + "@" + build.getCommit() + "#" + build.getRecipeDigest();
        return new Keyed(recipeKey.getBytes(java.nio.charset.StandardCharsets.UTF_8), serdes.serialize(build));
    }

    /**
     * {@code count} build events as native event JSON (contract section 4), one per line, with ids
     * unique under {@code source}: what a CI system posts to ingest.
     */
    List<String> buildJson(int count, int recipes, String source) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(json(build(i, random.nextInt(recipes)), source));
        }
        return out;
    }

    /** A build as posted to ingest (native JSON) and the recipe key its rebuild verdict will have. */
    record PostedBuild(String json, String recipeKey) {
    }

    /**
     * {@code count} builds as native event JSON, each of its own recipe (recipe numbers from
     * {@code firstRecipe} on), so each is answered by a rebuild verdict under a key of its own.
     */
    List<PostedBuild> distinctRecipeBuilds(int count, int firstRecipe, String source) {
        List<PostedBuild> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BuildEvent build = build(i, firstRecipe + i);
            out.add(new PostedBuild(json(build, source), RecipeKey.of(build).toString()));
        }
        return out;
    }

    private static String json(BuildEvent b, String source) {
        com.fasterxml.jackson.databind.node.ObjectNode e = JSON.createObjectNode();
        e.put("type", "build");
        e.put("id", b.getId());
        e.put("source", source);
        e.put("time", b.getTime().toString());
        com.fasterxml.jackson.databind.node.ObjectNode labels = e.putObject("labels");
        b.getLabels().forEach(labels::put);
        e.put("trace_id", b.getTraceId());
        e.putObject("artifact").put("name", b.getArtifact().getName()).put("digest", b.getArtifact().getDigest())
                .put("uri", b.getArtifact().getUri());
        e.put("source_repo", b.getSourceRepo());
        e.put("commit", b.getCommit());
        e.put("recipe_digest", b.getRecipeDigest());
        e.putObject("builder").put("id", b.getBuilder().getId()).put("image_digest", b.getBuilder().getImageDigest());
        com.fasterxml.jackson.databind.node.ArrayNode materials = e.putArray("materials");
        b.getMaterials().forEach(m -> materials.addObject().put("uri", m.getUri()).put("digest", m.getDigest()));
        com.fasterxml.jackson.databind.node.ObjectNode env = e.putObject("environment");
        b.getEnvironment().forEach(env::put);
        if (b.getRebuildOf() != null) {
            e.put("rebuild_of", b.getRebuildOf());
        }
        e.put("outcome", "success");
        e.put("signed", true);
        return e.toString();
    }

    private BuildEvent build(int sequence, int recipe) {
        String service = SERVICES[recipe % SERVICES.length];
        String commit = hex(20, recipe);
        return BuildEvent.newBuilder()
                .setId("gha-" + sequence)
                .setSource("https://github.com/example/" + service + "/actions")
                .setTime(start.plusMillis(sequence * 10L))
                .setLabels(Map.of("team", TEAMS[recipe % TEAMS.length], "service", service, "repo", "example/" + service))
                .setTraceId(hex(16, random.nextInt()))
                .setArtifact(Artifact.newBuilder()
                        .setName("ghcr.io/example/" + service)
                        .setDigest("sha256:" + hex(32, random.nextInt()))
                        .setUri("ghcr.io/example/" + service + ":" + commit.substring(0, 12))
                        .build())
                .setSourceRepo("https://github.com/example/" + service)
                .setCommit(commit)
                .setRecipeDigest("sha256:" + hex(32, recipe + 1))
                .setBuilder(BuildPlatform.newBuilder()
                        .setId("https://github.com/actions/runner/ubuntu-24.04")
                        .setImageDigest("sha256:" + hex(32, recipe % 7))
                        .build())
                .setMaterials(List.of(
                        material("git+https://github.com/example/" + service + "@refs/heads/main", recipe),
                        material("pkg:maven/org.apache.kafka/kafka-clients@4.3.1", 11),
                        material("pkg:docker/eclipse-temurin@17-jre", 12)))
                .setEnvironment(Map.of("os", "linux", "arch", "amd64", "java", "17.0.15", "TZ", "UTC",
                        "SOURCE_DATE_EPOCH", "1767225600"))
                .setRebuildOf(sequence % 2 == 1 ? "gha-" + (sequence - 1) : null)
                .setOutcome(BuildOutcome.SUCCESS)
                .setSigned(Boolean.TRUE)
                .build();
    }

    /**
     * Deployment number {@code sequence} to target number {@code target} ({@code svc-<n>/prod/c<0..2>}:
     * three clusters per service), keyed by target; one deployment in five puts another digest
     * on its cluster, so clusters of one environment disagree now and then.
     */
    Keyed keyedDeployment(int sequence, int target) {
        String service = "svc-" + target / 3;
        String cluster = "c" + target % 3;
        String digest = "sha256:" + hex(32, 1_000_000 + target / 3 * 2 + (sequence % 5 == 0 ? 1 : 0));
        DeploymentEvent deployment = DeploymentEvent.newBuilder()
                .setId("deploy-" + sequence)
                .setSource("https://argocd.example.com")
                .setTime(start.plusMillis(sequence * 10L))
                .setLabels(Map.of("team", TEAMS[target % TEAMS.length], "service", service))
                .setService(service)
                .setEnvironment("prod")
                .setCluster(cluster)
                .setArtifactDigest(digest)
                .setImageRef("ghcr.io/example/" + service + "@" + digest)
                .setKind(sequence % 2 == 0 ? DeploymentKind.DEPLOYED : DeploymentKind.OBSERVED)
                .build();
        String key = service + "/prod/" + cluster;
        return new Keyed(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), serdes.serialize(deployment));
    }

    private static Material material(String uri, int seed) {
        return Material.newBuilder().setUri(uri).setDigest("sha256:" + hex(32, seed)).build();
    }

    private static String hex(int bytes, int seed) {
        byte[] b = new byte[bytes];
        new SplittableRandom(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
