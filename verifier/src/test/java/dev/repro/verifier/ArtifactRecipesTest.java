package dev.repro.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.repro.schema.RebuildStatus;

class ArtifactRecipesTest {

    @Test
    void shouldFlagARegressionWhenThePreviousRecipeWasReproducibleAndThisOneIsNot() {
        ArtifactRecipes recipes = ArtifactRecipes.empty();
        recipes.update(new ArtifactRecipes.Recipe("app@c1#-", 100, 200, RebuildStatus.REPRODUCIBLE));
        recipes.update(new ArtifactRecipes.Recipe("app@c2#-", 300, 400, RebuildStatus.UNREPRODUCIBLE));

        assertThat(recipes.isRegression("app@c2#-", RebuildStatus.UNREPRODUCIBLE)).isTrue();
        assertThat(recipes.isRegression("app@c2#-", RebuildStatus.PENDING)).isFalse();
        assertThat(recipes.isRegression("app@c2#-", RebuildStatus.BUILD_FAILED)).isFalse();
        assertThat(recipes.isRegression("app@c1#-", RebuildStatus.UNREPRODUCIBLE)).isFalse();
    }

    @Test
    void shouldCompareWithTheRecipeFirstBuiltJustBeforeNotTheLatestArrival() {
        ArtifactRecipes recipes = ArtifactRecipes.empty();
        recipes.update(new ArtifactRecipes.Recipe("app@c3#-", 500, 500, RebuildStatus.UNREPRODUCIBLE));
        recipes.update(new ArtifactRecipes.Recipe("app@c1#-", 100, 100, RebuildStatus.UNREPRODUCIBLE));
        recipes.update(new ArtifactRecipes.Recipe("app@c2#-", 300, 300, RebuildStatus.REPRODUCIBLE));

        assertThat(recipes.previous("app@c3#-")).map(ArtifactRecipes.Recipe::recipeKey).contains("app@c2#-");
        assertThat(recipes.isRegression("app@c3#-", RebuildStatus.UNREPRODUCIBLE)).isTrue();
        assertThat(recipes.previous("app@c1#-")).isEmpty();
    }

    @Test
    void shouldForgetARemovedRecipe() {
        ArtifactRecipes recipes = ArtifactRecipes.empty();
        recipes.update(new ArtifactRecipes.Recipe("app@c1#-", 100, 100, RebuildStatus.REPRODUCIBLE));
        recipes.update(new ArtifactRecipes.Recipe("app@c2#-", 300, 300, RebuildStatus.UNREPRODUCIBLE));
        recipes.remove("app@c1#-");

        assertThat(recipes.isRegression("app@c2#-", RebuildStatus.UNREPRODUCIBLE)).isFalse();
        assertThat(recipes.recipes()).hasSize(1);
    }
}
