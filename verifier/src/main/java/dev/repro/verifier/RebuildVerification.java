package dev.repro.verifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.DigestCount;
import dev.repro.schema.RebuildStatus;
import dev.repro.schema.RebuildVerdict;
import dev.repro.topics.RecipeKey;

/**
 * The verdict on one recipe from its builds (CONTRACT section 6): REPRODUCIBLE with at least
 * two successful builds and one artifact digest, UNREPRODUCIBLE with at least two successful
 * builds and more than one digest, BUILD_FAILED when fewer than two builds succeeded and one
 * failed (outcome FAILURE or ERROR), PENDING otherwise (one successful build so far). Every field
 * comes from the builds alone, so the verdict does not depend on arrival order or the clock.
 */
public final class RebuildVerification {

    private RebuildVerification() {
    }

    /** The status of builds of one recipe. */
    public static RebuildStatus status(List<BuildEvent> builds) {
        long succeeded = builds.stream().filter(RebuildVerification::succeeded).count();
        if (succeeded >= 2) {
            long digests = builds.stream().filter(RebuildVerification::succeeded)
                    .map(b -> b.getArtifact().getDigest()).distinct().count();
            return digests == 1 ? RebuildStatus.REPRODUCIBLE : RebuildStatus.UNREPRODUCIBLE;
        }
        return succeeded < builds.size() ? RebuildStatus.BUILD_FAILED : RebuildStatus.PENDING;
    }

    /**
     * The verdict for {@code recipeKey} from its distinct builds.
     *
     * @param regression whether the artifact's previous recipe was REPRODUCIBLE and this one is
     *                   not (see {@link ArtifactRecipes#isRegression})
     * @throws IllegalArgumentException when there are no builds
     */
    public static RebuildVerdict judge(String recipeKey, RecipeBuilds recipe, boolean regression) {
        if (recipe.isEmpty()) {
            throw new IllegalArgumentException("recipe " + recipeKey + ": no builds to judge");
        }
        List<BuildEvent> builds = recipe.builds();
        List<BuildEvent> successful = builds.stream().filter(RebuildVerification::succeeded).toList();
        RebuildStatus status = status(builds);
        BuildEvent first = builds.get(0);
        BuildEvent latest = builds.get(builds.size() - 1);
        return RebuildVerdict.newBuilder()
                .setRecipeKey(recipeKey)
                .setArtifactName(first.getArtifact().getName())
                .setCommit(first.getCommit())
                .setRecipeDigest(builds.stream().map(BuildEvent::getRecipeDigest).filter(d -> d != null).findFirst().orElse(null))
                .setStatus(status)
                .setDigests(digestCounts(successful))
                .setBuilds(builds.size())
                .setFailedBuilds(builds.size() - successful.size())
                .setRegression(regression)
                .setSuspects(status == RebuildStatus.UNREPRODUCIBLE ? Suspects.rank(successful) : List.of())
                .setLabels(new TreeMap<>(latest.getLabels()))
                .setBuildIds(builds.stream().map(BuildEvent::getId).toList())
                .setAsOf(latest.getTime())
                .build();
    }

    static boolean succeeded(BuildEvent build) {
        return build.getOutcome() == BuildOutcome.SUCCESS;
    }

    private static List<DigestCount> digestCounts(List<BuildEvent> successful) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String> firstBuilder = new LinkedHashMap<>();
        for (BuildEvent b : successful) {
            String digest = b.getArtifact().getDigest();
            counts.computeIfAbsent(digest, d -> new int[1])[0]++;
            firstBuilder.putIfAbsent(digest, b.getBuilder().getId());
        }
        List<DigestCount> result = new ArrayList<>(counts.size());
        counts.forEach((digest, n) -> result.add(DigestCount.newBuilder()
                .setDigest(digest).setBuilds(n[0]).setFirstBuilder(firstBuilder.get(digest)).build()));
        return result;
    }
}
