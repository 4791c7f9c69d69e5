package dev.repro.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.repro.schema.RebuildStatus;

class ArtifactRecipesTest {

    private final KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("recipes"),
            Serdes.String(), Serdes.String()).withLoggingDisabled().withCachingDisabled().build();
    private final ArtifactRecipes recipes = new ArtifactRecipes(store);

    {
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldFlagARegressionWhenThePreviousRecipeWasReproducibleAndThisOneIsNot() {
        recipes.update("app@c1#-", null, 100, RebuildStatus.REPRODUCIBLE);
        recipes.update("app@c2#-", null, 300, RebuildStatus.UNREPRODUCIBLE);

        assertThat(recipes.isRegression("app@c2#-", 300, RebuildStatus.UNREPRODUCIBLE)).isTrue();
        assertThat(recipes.isRegression("app@c2#-", 300, RebuildStatus.PENDING)).isFalse();
        assertThat(recipes.isRegression("app@c2#-", 300, RebuildStatus.BUILD_FAILED)).isFalse();
        assertThat(recipes.isRegression("app@c1#-", 100, RebuildStatus.UNREPRODUCIBLE)).isFalse();
    }

    @Test
    void shouldCompareWithTheRecipeFirstBuiltJustBeforeNotTheLatestArrival() {
        recipes.update("app@c3#-", null, 500, RebuildStatus.UNREPRODUCIBLE);
        recipes.update("app@c1#-", null, 100, RebuildStatus.UNREPRODUCIBLE);
        recipes.update("app@c2#-", null, 300, RebuildStatus.REPRODUCIBLE);

        assertThat(recipes.previousStatus("app@c3#-", 500)).isEqualTo(RebuildStatus.REPRODUCIBLE);
        assertThat(recipes.isRegression("app@c3#-", 500, RebuildStatus.UNREPRODUCIBLE)).isTrue();
        assertThat(recipes.previousStatus("app@c1#-", 100)).isNull();
    }

    @Test
    void shouldKeepEachArtifactsRecipesApartAndFileARecipeAgainWhenAnEarlierBuildArrives() {
        recipes.update("app@c1#-", null, 100, RebuildStatus.REPRODUCIBLE);
        recipes.update("other@c9#-", null, 200, RebuildStatus.UNREPRODUCIBLE);
        recipes.update("app@c2#-", null, 300, RebuildStatus.UNREPRODUCIBLE);
        assertThat(recipes.previousStatus("app@c2#-", 300)).as("another artifact's recipe is not a predecessor")
                .isEqualTo(RebuildStatus.REPRODUCIBLE);

        recipes.update("app@c2#-", 300L, 50, RebuildStatus.UNREPRODUCIBLE);

        assertThat(recipes.previousStatus("app@c2#-", 50)).isNull();
        assertThat(recipes.previousStatus("app@c1#-", 100)).isEqualTo(RebuildStatus.UNREPRODUCIBLE);
        assertThat(store.approximateNumEntries()).isEqualTo(3);
    }

    @Test
    void shouldForgetARemovedRecipe() {
        recipes.update("app@c1#-", null, 100, RebuildStatus.REPRODUCIBLE);
        recipes.update("app@c2#-", null, 300, RebuildStatus.UNREPRODUCIBLE);
        recipes.remove("app@c1#-", 100);

        assertThat(recipes.isRegression("app@c2#-", 300, RebuildStatus.UNREPRODUCIBLE)).isFalse();
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }
}
