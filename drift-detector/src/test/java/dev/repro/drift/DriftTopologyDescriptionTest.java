package dev.repro.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.repro.serde.AvroSerdes;
import dev.repro.topics.TopicCatalog;

/**
 * The topology's processors and stores are named; renaming or reordering them orphans state and
 * changelogs. This test fails on any change of the described topology. After an intended change,
 * regenerate the file with {@code -Drepro.golden.update=true} and review the diff.
 */
class DriftTopologyDescriptionTest {

    private static final String GOLDEN = "drift-topology.txt";

    private static String described() {
        return new DriftTopology(TopicCatalog.defaults(), AvroSerdes.create(), DriftConfig.defaults("repro.drift-detector"))
                .build().describe().toString();
    }

    @Test
    void shouldNotChangeTheTopologyUnintentionally() throws IOException {
        String described = described();

        if (Boolean.getBoolean("repro.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), described, StandardCharsets.UTF_8);
        }
        try (InputStream golden = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
            assertThat(golden).as("src/test/resources/" + GOLDEN + " (create it with -Drepro.golden.update=true)").isNotNull();
            assertThat(described).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldNameEveryNodeAndStoreAndNeedNoRepartition() {
        String described = described();

        assertThat(described).doesNotContainPattern("KSTREAM-|KTABLE-|STATE-STORE-");
        assertThat(described).doesNotContain("repartition");
        assertThat(described).contains("drift-by-environment-store", "convergence-deadlines-store",
                "environment-expiry-store", "Sub-topology: 0");
        assertThat(described).doesNotContain("Sub-topology: 1");
    }
}
