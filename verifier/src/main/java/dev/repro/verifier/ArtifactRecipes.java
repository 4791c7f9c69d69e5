package dev.repro.verifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.repro.schema.RebuildStatus;

/**
 * The recipes of one artifact name with their latest status, ordered by their first build's
 * event time (ties by recipe key), to tell a regression: the artifact's previous recipe (the one
 * first built just before this one) was REPRODUCIBLE and this one is UNREPRODUCIBLE. A recipe
 * that is still PENDING or whose rebuild failed to build (infrastructure) is not a regression.
 */
public final class ArtifactRecipes {

    /** One recipe of the artifact: key, event times of its first and latest build, latest status. */
    public record Recipe(String recipeKey, long firstSeen, long lastSeen, RebuildStatus status) {
    }

    private static final Comparator<Recipe> ORDER = Comparator.comparingLong(Recipe::firstSeen).thenComparing(Recipe::recipeKey);

    private final List<Recipe> recipes;

    public ArtifactRecipes(List<Recipe> recipes) {
        this.recipes = new ArrayList<>(recipes);
        this.recipes.sort(ORDER);
    }

    public static ArtifactRecipes empty() {
        return new ArtifactRecipes(List.of());
    }

    /** Records {@code recipe}, replacing what was known of the same recipe key. */
    public void update(Recipe recipe) {
        remove(recipe.recipeKey());
        recipes.add(recipe);
        recipes.sort(ORDER);
    }

    public void remove(String recipeKey) {
        recipes.removeIf(r -> r.recipeKey().equals(recipeKey));
    }

    /** The recipe first built just before {@code recipeKey}, if any. */
    public Optional<Recipe> previous(String recipeKey) {
        Recipe previous = null;
        for (Recipe r : recipes) {
            if (r.recipeKey().equals(recipeKey)) {
                return Optional.ofNullable(previous);
            }
            previous = r;
        }
        return Optional.empty();
    }

    /** Whether {@code recipeKey}, now of {@code status}, regresses from a REPRODUCIBLE previous recipe. */
    public boolean isRegression(String recipeKey, RebuildStatus status) {
        return status == RebuildStatus.UNREPRODUCIBLE
                && previous(recipeKey).map(p -> p.status() == RebuildStatus.REPRODUCIBLE).orElse(false);
    }

    public List<Recipe> recipes() {
        return List.copyOf(recipes);
    }

    public boolean isEmpty() {
        return recipes.isEmpty();
    }
}
