package dev.repro.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecipeKeyTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void shouldSplitAtTheLastHashAndTheLastAtBeforeIt() {
        RecipeKey key = RecipeKey.parse("pkg:npm/@scope/lib@" + COMMIT + "#sha256:ff");

        assertThat(key.artifactName()).isEqualTo("pkg:npm/@scope/lib");
        assertThat(key.commit()).isEqualTo(COMMIT);
        assertThat(key.recipeDigest()).isEqualTo("sha256:ff");
    }

    @Test
    void shouldReadADashAsNoRecipeDigestAndWriteItBack() {
        RecipeKey key = RecipeKey.parse("app@" + COMMIT + "#-");

        assertThat(key.recipeDigest()).isNull();
        assertThat(key.toString()).isEqualTo("app@" + COMMIT + "#-");
    }

    @Test
    void shouldNameTheKeyItCannotParse() {
        assertThatThrownBy(() -> RecipeKey.parse("no-separators")).hasMessageContaining("'no-separators'");
        assertThat(RecipeKey.artifactNameOf("no-separators")).isEqualTo("no-separators");
    }

    @Test
    void shouldPartitionEveryRecipeOfAnArtifactTogether() {
        int a = ArtifactPartitioner.partition("app@" + COMMIT + "#-", 12);
        int b = ArtifactPartitioner.partition("app@" + "f".repeat(40) + "#sha256:01", 12);

        assertThat(a).isEqualTo(b).isBetween(0, 11);
    }
}
