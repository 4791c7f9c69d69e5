package dev.repro.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;

/**
 * The topology's processors, stores and internal topics are named; renaming or reordering
 * them orphans state and changelogs. This test fails on any change of the described topology.
 * After an intended change, regenerate the file with
 * {@code -Drepro.golden.update=true} and review the diff.
 */
class VerifierTopologyDescriptionTest {

    private static final String GOLDEN = "verifier-topology.txt";

    @Test
    void shouldNotChangeTheTopologyUnintentionally() throws IOException {
        String described = new VerifierTopology(TopicCatalog.defaults(), AvroSerdes.create(),
                new VerifierConfig("repro.verifier", Duration.ofMinutes(30), Duration.ofDays(14))).build().describe().toString();

        if (Boolean.getBoolean("repro.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), described, StandardCharsets.UTF_8);
        }
        try (InputStream golden = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            assertThat(golden).as("src/test/resources/" + GOLDEN + " (create it with -Drepro.golden.update=true)").isNotNull();
            assertThat(described).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldNameEveryNodeAndStoreAndNeedNoRepartitionTopic() {
        String described = new VerifierTopology(TopicCatalog.defaults(), AvroSerdes.create(),
                new VerifierConfig("repro.verifier", Duration.ofMinutes(30), Duration.ofDays(14))).build().describe().toString();

        assertThat(described).doesNotContainPattern("KSTREAM-|KTABLE-|STATE-STORE-");
        assertThat(described).doesNotContain("repartition");
        assertThat(described).contains("recipe-builds-store",
                "recipes-by-artifact-store", "runs-by-original-store", "replay-deadlines-store");
    }
}
