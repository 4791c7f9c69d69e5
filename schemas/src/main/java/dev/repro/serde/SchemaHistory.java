package dev.repro.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;
import org.apache.avro.specific.SpecificRecord;

/**
 * The released versions of one record's schema, read from the classpath:
 * {@code schema-history/<RecordName>/v1.avsc}, {@code v2.avsc}, … (v1 is the first release).
 * Each file is a complete, self-contained schema. Immutable.
 *
 * <p>Changing a schema in {@code src/main/avro} means adding the next {@code vN.avsc} with
 * the new schema; {@code SchemaEvolutionTest} fails the build until that file exists and is
 * fully compatible with the previous release.
 */
public final class SchemaHistory {

    /** Classpath folder holding one sub-folder of released versions per record. */
    public static final String RESOURCE_ROOT = "schema-history";

    private final String recordName;
    private final List<Schema> versions;

    private SchemaHistory(String recordName, List<Schema> versions) {
        this.recordName = recordName;
        this.versions = List.copyOf(versions);
    }

    /** Reads every released version of {@code type}'s schema; fails when there is none or one is malformed. */
    public static SchemaHistory load(Class<? extends SpecificRecord> type) {
        String recordName = type.getSimpleName();
        String fullName = ReproSchemas.current(type).getFullName();
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = resourceName(recordName, version);
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(parse(in, resource, fullName));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("no schema history for " + fullName + ": add "
                    + resourceName(recordName, 1) + " (a copy of its current schema) under src/main/resources");
        }
        return new SchemaHistory(recordName, versions);
    }

    /** The classpath resource of one version, e.g. {@code schema-history/BuildEvent/v2.avsc}. */
    public static String resourceName(String recordName, int version) {
        return RESOURCE_ROOT + "/" + recordName + "/v" + version + ".avsc";
    }

    /** Simple name of the record, as in the resource folder. */
    public String recordName() {
        return recordName;
    }

    /** Every released version, oldest (v1) first. */
    public List<Schema> versions() {
        return versions;
    }

    /** The schema released as {@code v<version>}. */
    public Schema version(int version) {
        if (version < 1 || version > versions.size()) {
            throw new IllegalArgumentException(recordName + " has versions 1.." + versions.size() + ", not " + version);
        }
        return versions.get(version - 1);
    }

    /** Number of the newest released version. */
    public int newestVersion() {
        return versions.size();
    }

    /** The newest released version. */
    public Schema newest() {
        return versions.get(versions.size() - 1);
    }

    private static Schema parse(InputStream in, String resource, String expectedFullName) throws IOException {
        Schema schema;
        try {
            schema = new SchemaParser().parse(in, StandardCharsets.UTF_8).mainSchema();
        } catch (SchemaParseException e) {
            throw new IllegalStateException(resource + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        if (!schema.getFullName().equals(expectedFullName)) {
            throw new IllegalStateException(resource + " defines " + schema.getFullName() + ", expected " + expectedFullName);
        }
        return schema;
    }
}
