package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.aBuild;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildEvent;
import dev.repro.serde.AvroSerdes;

/** A recipe keeps each build's encoding, so writing it back copies bytes instead of encoding every build again. */
class RecipeBuildsTest {

    private final AvroSerdes serdes = AvroSerdes.create();

    @Test
    void shouldHandOutTheBytesABuildWasReadFromAndEncodeOnlyTheBuildsWithoutThemOnce() {
        // Given
        BuildEvent read = aBuild().withId("read").atMinute(1).build();
        BuildEvent made = aBuild().withId("made").atMinute(2).build();
        byte[] readBytes = serdes.serialize(read);
        RecipeBuilds recipe = RecipeBuilds.empty();
        recipe.add(read, readBytes);
        recipe.add(made);
        List<BuildEvent> encoded = new ArrayList<>();
        Function<BuildEvent, byte[]> encoder = build -> {
            encoded.add(build);
            return serdes.serialize(build);
        };

        // When
        List<byte[]> first = recipe.encodings(encoder);
        List<byte[]> second = recipe.encodings(encoder);

        // Then
        assertThat(first.get(0)).isSameAs(readBytes);
        assertThat(encoded).containsExactly(made);
        assertThat(second.get(1)).isSameAs(first.get(1)).isEqualTo(serdes.serialize(made));
    }

    @Test
    void shouldKeepEachEncodingWithItsBuildWhateverOrderTheBuildsArriveIn() {
        // Given
        BuildEvent late = aBuild().withId("late").atMinute(9).build();
        BuildEvent early = aBuild().withId("early").atMinute(1).build();
        BuildEvent middle = aBuild().withId("middle").atMinute(5).build();
        RecipeBuilds recipe = RecipeBuilds.empty();

        // When
        recipe.add(late, serdes.serialize(late));
        recipe.add(early, serdes.serialize(early));
        recipe.add(middle, serdes.serialize(middle));

        // Then
        assertThat(recipe.builds()).extracting(BuildEvent::getId).containsExactly("early", "middle", "late");
        assertThat(recipe.encodings(build -> {
            throw new AssertionError("every encoding is known");
        })).extracting(bytes -> serdes.deserialize(BuildEvent.class, bytes).getId()).containsExactly("early", "middle", "late");
    }

    @Test
    void shouldReadARecipeFromItsStoreBytesWithEachBuildsEncodingAndWriteTheSameBytesBack() {
        // Given
        Serde<RecipeBuilds> serde = new StateSerdes(serdes).recipeBuilds();
        RecipeBuilds recipe = new RecipeBuilds(List.of(aBuild().withId("b2").atMinute(2).build(),
                aBuild().withId("b1").atMinute(1).build()));
        byte[] stored = serde.serializer().serialize("changelog", recipe);

        // When
        RecipeBuilds read = serde.deserializer().deserialize("changelog", stored);

        // Then
        assertThat(read.builds()).isEqualTo(recipe.builds());
        assertThat(read.encodings(build -> {
            throw new AssertionError("a build read from the store is not encoded again");
        })).hasSize(2);
        assertThat(serde.serializer().serialize("changelog", read)).isEqualTo(stored);
    }
}
