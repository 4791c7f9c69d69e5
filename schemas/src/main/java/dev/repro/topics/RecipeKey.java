package dev.repro.topics;

import dev.repro.schema.BuildEvent;

/**
 * The key of {@code repro.events.builds} and {@code repro.verdicts.rebuild}:
 * {@code artifact.name@commit#recipe_digest}, with {@code #-} when the build declared no recipe
 * digest. Artifact names may themselves hold {@code @} or {@code #} (npm scopes, purls), so the
 * key is split at the last {@code #} and then at the last {@code @} before it.
 */
public record RecipeKey(String artifactName, String commit, String recipeDigest) {

    public static final String NO_RECIPE = "-";

    /** The recipe key of {@code build}, as ingest derives it. */
    public static RecipeKey of(BuildEvent build) {
        return new RecipeKey(build.getArtifact().getName(), build.getCommit(), build.getRecipeDigest());
    }

    /**
     * Parses {@code key}.
     *
     * @throws IllegalArgumentException naming the key when it is not {@code name@commit#recipe}
     */
    public static RecipeKey parse(String key) {
        int hash = key == null ? -1 : key.lastIndexOf('#');
        int at = hash < 0 ? -1 : key.lastIndexOf('@', hash);
        if (at <= 0 || at + 1 == hash || hash + 1 == key.length()) {
            throw new IllegalArgumentException("recipe key '" + key + "' is not 'artifact.name@commit#recipe_digest'");
        }
        String recipe = key.substring(hash + 1);
        return new RecipeKey(key.substring(0, at), key.substring(at + 1, hash), NO_RECIPE.equals(recipe) ? null : recipe);
    }

    /** The artifact name of {@code key}, or the whole key when it does not parse (so it still partitions). */
    public static String artifactNameOf(String key) {
        try {
            return parse(key).artifactName();
        } catch (IllegalArgumentException e) {
            return key == null ? "" : key;
        }
    }

    @Override
    public String toString() {
        return artifactName + "@" + commit + "#" + (recipeDigest == null ? NO_RECIPE : recipeDigest);
    }
}
