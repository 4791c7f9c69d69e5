package dev.repro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParser;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.repro.schema.BuildEvent;

/**
 * Every generated record belongs to the contract, every contract record has a released
 * history, its schema is the newest release, and it is fully compatible with the releases
 * before it: the current schema reads data written with every released version, and the
 * previous release reads data written with the current schema.
 */
class SchemaEvolutionTest {

    private static final String GENERATED_PACKAGE = "dev.repro.schema";

    static Stream<Named<Class<? extends SpecificRecord>>> contractRecords() {
        return ReproSchemas.recordClasses().stream().map(type -> Named.of(type.getSimpleName(), type));
    }

    @Test
    void shouldListEveryGeneratedRecordInTheContract() throws Exception {
        // Given
        Set<Class<?>> generated = generatedRecordClasses();

        // When
        Set<String> reachableFromTheContract = AvroClassTrust.contractClassNames();

        // Then
        assertThat(generated).as("generated record classes in " + GENERATED_PACKAGE).isNotEmpty();
        assertThat(generated).allSatisfy(type -> assertThat(reachableFromTheContract)
                .as(type.getSimpleName() + " is generated from src/main/avro but is neither listed in"
                        + " ReproSchemas.recordClasses() nor nested in a record that is")
                .contains(type.getName()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractRecords")
    void shouldHaveAReleasedHistory(Class<? extends SpecificRecord> type) {
        // When
        SchemaHistory history = SchemaHistory.load(type);

        // Then
        assertThat(history.versions()).isNotEmpty();
        assertThat(history.version(1).getFullName()).isEqualTo(ReproSchemas.current(type).getFullName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractRecords")
    void shouldMatchTheNewestReleasedVersion(Class<? extends SpecificRecord> type) {
        // Given
        Schema source = sourceSchema(type);
        SchemaHistory history = SchemaHistory.load(type);
        String name = type.getSimpleName();

        // Then
        assertThat(history.newest())
                .withFailMessage(() -> name + "'s schema (src/main/avro/" + name + ".avsc) differs from its newest"
                        + " release " + SchemaHistory.resourceName(name, history.newestVersion())
                        + ". If the change is intended, release it: add src/main/resources/"
                        + SchemaHistory.resourceName(name, history.newestVersion() + 1)
                        + " as a copy of the new schema (it must stay fully compatible with v" + history.newestVersion() + ").")
                .isEqualTo(source);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractRecords")
    void shouldReadDataWrittenWithEveryReleasedVersion(Class<? extends SpecificRecord> type) {
        // Given
        Schema current = ReproSchemas.current(type);
        SchemaHistory history = SchemaHistory.load(type);

        // Then
        for (int version = 1; version <= history.newestVersion(); version++) {
            assertThat(readProblems(current, history.version(version)))
                    .as("%s: current schema reading data written with v%d", type.getSimpleName(), version)
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractRecords")
    void shouldLetThePreviousReleaseReadDataWrittenWithTheCurrentSchema(Class<? extends SpecificRecord> type) {
        // Given
        Schema current = ReproSchemas.current(type);
        SchemaHistory history = SchemaHistory.load(type);

        // When
        Schema previous = previousRelease(history, sourceSchema(type));

        // Then
        assertThat(readProblems(previous, current))
                .as("%s: previous release reading data written with the current schema", type.getSimpleName())
                .isEmpty();
    }

    @Test
    void shouldReportAFieldAddedWithoutADefaultAsIncompatible() {
        // Given
        Schema current = ReproSchemas.current(BuildEvent.class);
        Schema changed = TestSchemas.parse("incompatible/BuildEvent-with-required-field.avsc");

        // When
        List<String> problems = readProblems(changed, current);

        // Then
        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains("build_number"));
    }

    /**
     * The newest release that differs from the source schema: the one before it once the
     * current schema is released; the newest one when none differs (only v1, unchanged).
     */
    private static Schema previousRelease(SchemaHistory history, Schema source) {
        List<Schema> newestFirst = new ArrayList<>(history.versions());
        Collections.reverse(newestFirst);
        return newestFirst.stream().filter(version -> !version.equals(source)).findFirst().orElse(history.newest());
    }

    /**
     * The schema as written in {@code src/main/avro}. The generated class's copy also carries
     * {@code avro.java.string} properties that released files do not, so equality with a
     * release is checked on the source. {@link Schema#equals} ignores docs: a doc-only edit
     * needs no new version.
     */
    private static Schema sourceSchema(Class<? extends SpecificRecord> type) {
        Path source = Path.of(System.getProperty("basedir", "."), "src", "main", "avro", type.getSimpleName() + ".avsc");
        try {
            return new SchemaParser().parse(source).mainSchema();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }

    private static List<String> readProblems(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
                .stream()
                .map(problem -> problem.getType() + " at " + problem.getLocation() + ": " + problem.getMessage())
                .toList();
    }

    private static Set<Class<?>> generatedRecordClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<Class<?>> found = new HashSet<>();
        ClassLoader loader = SchemaEvolutionTest.class.getClassLoader();
        for (URL root : Collections.list(loader.getResources(GENERATED_PACKAGE.replace('.', '/')))) {
            if (!"file".equals(root.getProtocol())) {
                continue;
            }
            List<Path> classFiles;
            try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                classFiles = files.filter(file -> file.getFileName().toString().endsWith(".class")).toList();
            }
            for (Path file : classFiles) {
                String simpleName = file.getFileName().toString().replace(".class", "");
                if (!simpleName.contains("$")) {
                    Class<?> type = Class.forName(GENERATED_PACKAGE + "." + simpleName, false, loader);
                    if (SpecificRecord.class.isAssignableFrom(type)) {
                        found.add(type);
                    }
                }
            }
        }
        return found;
    }
}
