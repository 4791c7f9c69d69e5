package dev.repro.ingest.event;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared fixtures (real CDEvents and SLSA files of other projects), read in place, never
 * copied. Located by the system property {@code repro.fixtures}, else {@code <project
 * root>/../shared/fixtures}; tests that need them are skipped when they are absent.
 */
final class Fixtures {

    private Fixtures() {
    }

    /** The fixtures directory, or skips the calling test with the reason. */
    static Path root() {
        Path dir = location();
        assumeTrue(Files.isDirectory(dir), () -> "shared fixtures not found at " + dir
                + " (set -Drepro.fixtures=<dir> to run the conformance tests against them)");
        return dir;
    }

    /** A sub-directory of the fixtures, or skips the calling test with the reason. */
    static Path dir(String relative) {
        Path dir = root().resolve(relative);
        assumeTrue(Files.isDirectory(dir), () -> "fixture directory " + dir + " not found");
        return dir;
    }

    /** The {@code .json} files of a fixture directory, sorted by name. */
    static List<Path> jsonFiles(String relative) {
        try (Stream<Path> files = Files.list(dir(relative))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path location() {
        String property = System.getProperty("repro.fixtures");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        return projectRoot().resolve("../shared/fixtures").normalize();
    }

    /** The directory holding the Maven wrapper, searched upwards from the working directory. */
    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve("mvnw")) && Files.exists(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        return dir;
    }
}
