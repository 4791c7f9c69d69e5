package dev.repro.verifier;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.repro.schema.RebuildStatus;
import dev.repro.streams.TimeIndex;
import dev.repro.topics.RecipeKey;

/**
 * The recipes of each artifact name, ordered by their first build's event time (ties by recipe
 * key), with their latest status, to tell a regression: the artifact's previous recipe (the one
 * first built just before this one) was REPRODUCIBLE and this one is UNREPRODUCIBLE. A recipe
 * that is still PENDING or whose rebuild failed to build (infrastructure) is not a regression.
 *
 * <p>One store entry per recipe, keyed {@code <artifact name>\u0001<19-digit first build ms>|<recipe key>}
 * so that an artifact's recipes sort by first build: the previous recipe is one reverse range
 * scan, and a build costs the same whether the artifact has ten recipes or a million.
 */
final class ArtifactRecipes {

    private static final char SEPARATOR = '\u0001';

    private final KeyValueStore<String, String> store;

    ArtifactRecipes(KeyValueStore<String, String> store) {
        this.store = store;
    }

    static String key(String recipeKey, long firstSeen) {
        return RecipeKey.artifactNameOf(recipeKey) + SEPARATOR + TimeIndex.key(firstSeen, recipeKey);
    }

    /** Records the recipe's latest status; {@code firstSeenBefore} (null for a new recipe) is where it was filed. */
    void update(String recipeKey, Long firstSeenBefore, long firstSeen, RebuildStatus status) {
        if (firstSeenBefore != null && firstSeenBefore != firstSeen) {
            store.delete(key(recipeKey, firstSeenBefore));
        }
        store.put(key(recipeKey, firstSeen), status.name());
    }

    void remove(String recipeKey, long firstSeen) {
        store.delete(key(recipeKey, firstSeen));
    }

    /** Whether {@code recipeKey}, now of {@code status}, regresses from a REPRODUCIBLE previous recipe. */
    boolean isRegression(String recipeKey, long firstSeen, RebuildStatus status) {
        return status == RebuildStatus.UNREPRODUCIBLE && previousStatus(recipeKey, firstSeen) == RebuildStatus.REPRODUCIBLE;
    }

    /** The latest status of the artifact's recipe first built just before this one; null when there is none. */
    RebuildStatus previousStatus(String recipeKey, long firstSeen) {
        String own = key(recipeKey, firstSeen);
        String artifactStart = RecipeKey.artifactNameOf(recipeKey) + SEPARATOR;
        try (KeyValueIterator<String, String> earlier = store.reverseRange(artifactStart, own)) {
            while (earlier.hasNext()) {
                KeyValue<String, String> entry = earlier.next();
                if (!entry.key.equals(own)) {
                    return RebuildStatus.valueOf(entry.value);
                }
            }
        }
        return null;
    }
}
