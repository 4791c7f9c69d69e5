package dev.repro.serde;

import static dev.repro.serde.RecordFixtures.COMMIT;
import static dev.repro.serde.RecordFixtures.DIGEST_A;
import static dev.repro.serde.RecordFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import dev.repro.schema.BuildEvent;
import dev.repro.schema.BuildOutcome;
import dev.repro.schema.DeploymentEvent;

/** Bytes written with an older writer schema are resolved to the current class through the schema store. */
class OlderWriterSchemaTest {

    private static final Schema OLDER_BUILD =
            TestSchemas.parse("older-writers/BuildEvent-before-trace-id-and-signed.avsc");

    @Test
    void shouldReadBytesWrittenWithAnOlderWriterSchemaKnownToTheStore() throws IOException {
        // Given
        AvroSerdes serdes = AvroSerdes.create(ReproSchemas.load().withWriterSchema(BuildEvent.class, OLDER_BUILD));
        byte[] bytes = writtenWithOlderSchema(anOlderBuild());

        // When
        BuildEvent build = serdes.deserialize(BuildEvent.class, bytes);

        // Then
        assertThat(build.getId()).isEqualTo("jenkins-42");
        assertThat(build.getTime()).isEqualTo(T0);
        assertThat(build.getArtifact().getDigest()).isEqualTo(DIGEST_A);
        assertThat(build.getCommit()).isEqualTo(COMMIT);
        assertThat(build.getSourceRepo()).isEqualTo("https://git.acme.dev/shop");
        assertThat(build.getLabels()).containsEntry("team", "shop");
        assertThat(build.getEnvironment()).isEmpty();
        assertThat(build.getMaterials()).isEmpty();
        assertThat(build.getOutcome()).isEqualTo(BuildOutcome.SUCCESS);
        assertThat(build.getTraceId()).isNull();
        assertThat(build.getSigned()).isNull();
    }

    @Test
    void shouldRejectBytesOfAWriterSchemaTheStoreDoesNotKnow() throws IOException {
        // Given
        AvroSerdes serdes = AvroSerdes.create();
        byte[] bytes = writtenWithOlderSchema(anOlderBuild());

        // Then
        assertThatThrownBy(() -> serdes.deserialize(BuildEvent.class, bytes))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("unknown schema fingerprint 0x" + String.format("%016x", ReproSchemas.fingerprint(OLDER_BUILD)));
    }

    @Test
    void shouldRefuseAWriterSchemaOfAnotherRecord() {
        // Given
        ReproSchemas schemas = ReproSchemas.load();

        // Then
        assertThatThrownBy(() -> schemas.withWriterSchema(DeploymentEvent.class, OLDER_BUILD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writer schema dev.repro.schema.BuildEvent is not a version of dev.repro.schema.DeploymentEvent");
    }

    private static GenericRecord anOlderBuild() {
        return new GenericRecordBuilder(OLDER_BUILD)
                .set("id", "jenkins-42")
                .set("source", "https://jenkins.acme.dev")
                .set("time", T0.toEpochMilli())
                .set("artifact", new GenericRecordBuilder(OLDER_BUILD.getField("artifact").schema())
                        .set("name", "acme-shop.jar")
                        .set("digest", DIGEST_A)
                        .build())
                .set("commit", COMMIT)
                .set("source_repo", "https://git.acme.dev/shop")
                .set("builder", new GenericRecordBuilder(OLDER_BUILD.getField("builder").schema())
                        .set("id", "jenkins-agent-7")
                        .build())
                .set("labels", Map.of("team", "shop"))
                .build();
    }

    private static byte[] writtenWithOlderSchema(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), OLDER_BUILD).encode(record, out);
        return out.toByteArray();
    }
}
