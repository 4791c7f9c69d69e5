package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.aBuild;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildEvent;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.Encoded;

/** One entry per build, in the bytes it was read from; a recipe is exactly the entries under its own prefix. */
class RecipeStoreTest {

    private final AvroSerdes serdes = AvroSerdes.create();
    private KeyValueStore<String, Encoded<BuildEvent>> store;
    private RecipeStore recipes;

    @BeforeEach
    void setUp() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("recipes"), Serdes.String(),
                serdes.encodedSerde(BuildEvent.class)).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        recipes = new RecipeStore(store);
    }

    @Test
    void shouldKeepEachBuildOnceInTheBytesItWasReadFromAndLoadTheRecipeInEventTimeOrder() {
        // Given
        Encoded<BuildEvent> late = read(aBuild().withId("late").atMinute(9).build());
        Encoded<BuildEvent> early = read(aBuild().withId("early").atMinute(1).build());
        Encoded<BuildEvent> middle = read(aBuild().withId("middle").atMinute(5).build());
        String recipeKey = aBuild().recipeKey();

        // When
        recipes.add(recipeKey, late);
        recipes.add(recipeKey, early);
        recipes.add(recipeKey, middle);

        // Then
        assertThat(recipes.load(recipeKey).builds()).extracting(BuildEvent::getId).containsExactly("early", "middle", "late");
        List<KeyValue<String, Encoded<BuildEvent>>> entries = entries();
        assertThat(entries).as("one entry per build, holding only that build").hasSize(3);
        assertThat(entries).extracting(entry -> entry.value.bytes())
                .containsExactly(early.bytes(), middle.bytes(), late.bytes());
    }

    @Test
    void shouldLoadAndRemoveOnlyTheRecipeAskedForWhenOneKeyBeginsWithAnother() {
        // Given: keys that begin with another key, and a key holding characters that sort below digits
        List<String> keys = List.of("lib@c1#-", "lib@c1#-x", "lib@c1#-\u0001", "lib@c1#-0000");
        for (String key : keys) {
            recipes.add(key, read(aBuild().withId("for " + key).build()));
        }

        // When
        recipes.remove("lib@c1#-");

        // Then
        assertThat(recipes.load("lib@c1#-").isEmpty()).isTrue();
        for (String key : keys.subList(1, keys.size())) {
            assertThat(recipes.load(key).builds()).extracting(BuildEvent::getId).containsExactly("for " + key);
        }
    }

    @Test
    void shouldLoadNothingForARecipeWithoutBuilds() {
        assertThat(recipes.load("never@built#-").isEmpty()).isTrue();
    }

    private Encoded<BuildEvent> read(BuildEvent build) {
        byte[] bytes = serdes.serialize(build);
        return new Encoded<>(serdes.deserialize(BuildEvent.class, bytes), bytes);
    }

    private List<KeyValue<String, Encoded<BuildEvent>>> entries() {
        List<KeyValue<String, Encoded<BuildEvent>>> all = new ArrayList<>();
        try (KeyValueIterator<String, Encoded<BuildEvent>> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
