package dev.repro.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/** Schemas kept as test resources: deliberately older or incompatible versions of contract records. */
final class TestSchemas {

    private TestSchemas() {
    }

    static Schema parse(String resource) {
        try (InputStream in = TestSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("test resource " + resource).isNotNull();
            return new SchemaParser().parse(in, StandardCharsets.UTF_8).mainSchema();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
