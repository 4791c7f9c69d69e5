package dev.repro.ingest.event;

import dev.repro.topics.RecipeKey;

/** The record keys of CONTRACT section 5. */
final class RecordKeys {

    /** Cluster part of a deployment key when the event names no cluster. */
    static final String DEFAULT_CLUSTER = "default";

    private RecordKeys() {
    }

    /** {@code artifact.name@commit#recipe_digest}, {@code #-} when there is no recipe digest. */
    static String recipe(String artifactName, String commit, String recipeDigest) {
        return new RecipeKey(artifactName, commit, recipeDigest).toString();
    }

    /** {@code service/environment/cluster}, cluster {@value #DEFAULT_CLUSTER} when absent. */
    static String deployment(String service, String environment, String cluster) {
        return service + "/" + environment + "/" + (cluster == null ? DEFAULT_CLUSTER : cluster);
    }

    /** {@code service/environment[/cluster]}: without a cluster the declaration is for every cluster. */
    static String desired(String service, String environment, String cluster) {
        return service + "/" + environment + (cluster == null ? "" : "/" + cluster);
    }

    /** The original run id: {@code replay_of} when the run is a replay, else its own {@code run_id}. */
    static String run(String runId, String replayOf) {
        return replayOf == null ? runId : replayOf;
    }

    /** {@code suite@commit}. */
    static String test(String suite, String commit) {
        return suite + "@" + commit;
    }
}
