package dev.repro.verifier;

import static dev.repro.verifier.Fixtures.DIGEST_A;
import static dev.repro.verifier.Fixtures.DIGEST_B;
import static dev.repro.verifier.Fixtures.aBuild;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildEvent;
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

    @Test
    void shouldScoreEveryInputAsItsShareOfPairsOfBuildsThatSeparateTheDigests() {
        // the definition, pair by pair, over recipes of up to 12 builds, 3 digests and 3 values per input
        Random random = new Random(7);
        for (int recipe = 0; recipe < 200; recipe++) {
            List<BuildEvent> builds = new ArrayList<>();
            int n = 2 + random.nextInt(11);
            for (int i = 0; i < n; i++) {
                Fixtures.BuildBuilder build = aBuild().withId("b" + i).withDigest(Fixtures.digest(random.nextInt(3)))
                        .withImageDigest(Fixtures.digest(10 + random.nextInt(3)))
                        .withMaterial("pkg:npm/left-pad@1.3.0", Fixtures.digest(20 + random.nextInt(3)));
                if (random.nextBoolean()) {
                    build.withEnv("TZ", "zone-" + random.nextInt(3));
                }
                builds.add(build.build());
            }

            for (Suspect suspect : Suspects.rank(builds)) {
                assertThat(suspect.getScore()).as("recipe %d, %s", recipe, suspect.getPath())
                        .isEqualTo(pairwiseScore(builds, valueAt(suspect.getPath())));
            }
        }
    }

    private static Function<BuildEvent, String> valueAt(String path) {
        return switch (path) {
            case "builder.image_digest" -> b -> b.getBuilder().getImageDigest();
            case "builder.id" -> b -> b.getBuilder().getId();
            case "materials[pkg:npm/left-pad@1.3.0]" -> b -> b.getMaterials().get(0).getDigest();
            default -> b -> b.getEnvironment().get(path.substring("environment.".length()));
        };
    }

    private static double pairwiseScore(List<BuildEvent> builds, Function<BuildEvent, String> value) {
        long crossPairs = 0;
        long crossDiffer = 0;
        long samePairs = 0;
        long sameAgree = 0;
        for (int i = 0; i < builds.size(); i++) {
            for (int j = i + 1; j < builds.size(); j++) {
                boolean sameDigest = builds.get(i).getArtifact().getDigest().equals(builds.get(j).getArtifact().getDigest());
                boolean sameValue = Objects.equals(value.apply(builds.get(i)), value.apply(builds.get(j)));
                if (sameDigest) {
                    samePairs++;
                    sameAgree += sameValue ? 1 : 0;
                } else {
                    crossPairs++;
                    crossDiffer += sameValue ? 0 : 1;
                }
            }
        }
        return (crossPairs == 0 ? 0 : (double) crossDiffer / crossPairs) * (samePairs == 0 ? 1 : (double) sameAgree / samePairs);
    }
}
