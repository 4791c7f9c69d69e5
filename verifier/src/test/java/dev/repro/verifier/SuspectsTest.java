package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.DIGEST_A;
import static dev.repro.verifier.Fixtures.DIGEST_B;
import static dev.repro.verifier.Fixtures.aBuild;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.repro.schema.Suspect;

class SuspectsTest {

    @Test
    void shouldHaveNoSuspectsWhenAllBuildsShareOneDigest() {
        assertThat(Suspects.rank(List.of(aBuild().withId("1").build(), aBuild().withId("2").withEnv("TZ", "Asia/Tokyo").build())))
                .isEmpty();
    }

    @Test
    void shouldRankAMissingSourceDateEpochFirstThenTimezoneThenBuilderImage() {
        List<Suspect> suspects = Suspects.rank(List.of(
                aBuild().withId("1").build(),
                aBuild().withId("2").withDigest(DIGEST_B).withoutEnv("SOURCE_DATE_EPOCH").withEnv("TZ", "Europe/Paris")
                        .withImageDigest(Fixtures.digest(901)).build()));

        assertThat(suspects).extracting(Suspect::getPath)
                .containsExactly("environment.SOURCE_DATE_EPOCH", "environment.TZ", "builder.image_digest");
        assertThat(suspects).extracting(Suspect::getRank).containsExactly(1, 2, 3);
        assertThat(suspects.get(0).getScore()).isEqualTo(1.0);
        assertThat(suspects.get(0).getValues()).containsEntry(DIGEST_A, Arrays.asList("1767225600"))
                .containsEntry(DIGEST_B, Arrays.asList((String) null));
    }

    @Test
    void shouldRankTheInputThatSeparatesTheDigestsAboveOneThatOnlySometimesDiffers() {
        // TZ differs exactly along the digests; the builder image differs within digest B too
        List<Suspect> suspects = Suspects.rank(List.of(
                aBuild().withId("1").withImageDigest(Fixtures.digest(1)).build(),
                aBuild().withId("2").withImageDigest(Fixtures.digest(1)).build(),
                aBuild().withId("3").withDigest(DIGEST_B).withEnv("TZ", "America/New_York").withImageDigest(Fixtures.digest(2)).build(),
                aBuild().withId("4").withDigest(DIGEST_B).withEnv("TZ", "America/New_York").withImageDigest(Fixtures.digest(1)).build()));

        assertThat(suspects.get(0).getPath()).isEqualTo("environment.TZ");
        assertThat(suspects.get(0).getScore()).isEqualTo(1.0);
        Suspect image = suspects.stream().filter(s -> s.getPath().equals("builder.image_digest")).findFirst().orElseThrow();
        assertThat(image.getScore()).isEqualTo(0.25);
        assertThat(image.getValues().get(DIGEST_B)).containsExactly(Fixtures.digest(2), Fixtures.digest(1));
    }

    @Test
    void shouldNameADifferingMaterialByItsUri() {
        List<Suspect> suspects = Suspects.rank(List.of(
                aBuild().withId("1").withMaterial("pkg:maven/org.example/lib@1.0", Fixtures.digest(7)).build(),
                aBuild().withId("2").withDigest(DIGEST_B).withMaterial("pkg:maven/org.example/lib@1.0", Fixtures.digest(8)).build()));

        assertThat(suspects).extracting(Suspect::getPath).containsExactly("materials[pkg:maven/org.example/lib@1.0]");
    }
}
