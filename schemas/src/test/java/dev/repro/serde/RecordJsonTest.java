package dev.repro.serde;

import static dev.repro.serde.RecordFixtures.COMMIT;
import static dev.repro.serde.RecordFixtures.DIGEST_A;
import static dev.repro.serde.RecordFixtures.DIGEST_B;
import static dev.repro.serde.RecordFixtures.T0;
import static dev.repro.serde.RecordFixtures.aBuild;
import static dev.repro.serde.RecordFixtures.aRebuildVerdict;
import static dev.repro.serde.RecordFixtures.aRejection;
import static dev.repro.serde.RecordFixtures.anSliValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.repro.schema.BuildEvent;

class RecordJsonTest {

    private final AvroSerdes serdes = AvroSerdes.create();
    private final RecordJson recordJson = new RecordJson(serdes);

    @Test
    void shouldRenderABuildEventFieldByField() {
        // Given
        BuildEvent build = aBuild().setTraceId(null).setEnvironment(Map.of("TZ", "UTC", "LANG", "C")).build();

        // When
        JsonNode json = recordJson.toJson(serdes.serialize(build));

        // Then
        assertThat(json.get("id").asText()).isEqualTo("gha-run-1001");
        assertThat(json.get("source").asText()).isEqualTo("https://github.com/acme/shop/actions");
        assertThat(json.get("time").isIntegralNumber()).isTrue();
        assertThat(json.get("time").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(json.get("labels").get("team").asText()).isEqualTo("shop");
        assertThat(json.get("trace_id").isNull()).isTrue();
        assertThat(json.get("artifact").get("name").asText()).isEqualTo("ghcr.io/acme/checkout");
        assertThat(json.get("artifact").get("digest").asText()).isEqualTo(DIGEST_A);
        assertThat(json.get("artifact").get("uri").asText()).isEqualTo("ghcr.io/acme/checkout@" + DIGEST_A);
        assertThat(json.get("source_repo").asText()).isEqualTo("https://github.com/acme/shop");
        assertThat(json.get("commit").asText()).isEqualTo(COMMIT);
        assertThat(json.get("recipe_digest").asText()).isEqualTo("sha256:" + "c".repeat(64));
        assertThat(json.get("builder").get("id").asText()).isEqualTo("https://github.com/actions/runner");
        assertThat(json.get("builder").get("image_digest").asText()).isEqualTo("sha256:" + "d".repeat(64));
        assertThat(json.get("materials").isArray()).isTrue();
        assertThat(json.get("materials").get(0).get("uri").asText()).isEqualTo("pkg:maven/org.apache.kafka/kafka-clients@4.3.1");
        assertThat(json.get("environment").isObject()).isTrue();
        assertThat(fieldNames(json.get("environment"))).containsExactly("LANG", "TZ");
        assertThat(json.get("rebuild_of").asText()).isEqualTo("gha-run-1000");
        assertThat(json.get("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(json.get("signed").isBoolean()).isTrue();
        assertThat(json.get("signed").asBoolean()).isTrue();
        assertThat(fieldNames(json)).containsExactly("id", "source", "time", "labels", "trace_id", "artifact",
                "source_repo", "commit", "recipe_digest", "builder", "materials", "environment", "rebuild_of",
                "outcome", "signed");
    }

    @Test
    void shouldRenderBytesAsBase64AndUnwrapOptionalNumbers() {
        // Given
        byte[] raw = "{\"type\":\"build\"}".getBytes(StandardCharsets.UTF_8);

        // When
        JsonNode json = recordJson.toJson(aRejection().build());

        // Then
        assertThat(json.get("raw").isTextual()).isTrue();
        assertThat(Base64.getDecoder().decode(json.get("raw").asText())).isEqualTo(raw);
        assertThat(json.get("partition").isInt()).isTrue();
        assertThat(json.get("partition").asInt()).isEqualTo(2);
        assertThat(json.get("offset").asLong()).isEqualTo(41L);
        assertThat(json.get("received_at").asLong()).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void shouldRenderNestedArraysMapsAndNullElementsOfAVerdict() {
        // When
        JsonNode json = recordJson.toJson(aRebuildVerdict().build());

        // Then
        assertThat(json.get("status").asText()).isEqualTo("UNREPRODUCIBLE");
        assertThat(json.get("recipe_digest").isNull()).isTrue();
        assertThat(json.get("digests").get(1).get("digest").asText()).isEqualTo(DIGEST_B);
        assertThat(json.get("digests").get(1).get("builds").asInt()).isEqualTo(1);
        JsonNode suspect = json.get("suspects").get(0);
        assertThat(suspect.get("path").asText()).isEqualTo("environment.SOURCE_DATE_EPOCH");
        assertThat(suspect.get("values").get(DIGEST_A).get(0).asText()).isEqualTo("1767225600");
        assertThat(suspect.get("values").get(DIGEST_B).get(0).isNull()).isTrue();
        assertThat(suspect.get("score").asDouble()).isEqualTo(1.0);
    }

    @Test
    void shouldRenderAMissingOptionalDoubleAsNull() {
        // When
        JsonNode json = recordJson.toJson(anSliValue().setValue(null).setGood(0).setTotal(0).build());

        // Then
        assertThat(json.get("value").isNull()).isTrue();
        assertThat(json.get("target").asDouble()).isEqualTo(0.95);
    }

    @Test
    void shouldRenderBytesLikeTheRecordTheyEncode() {
        // Given
        BuildEvent build = aBuild().build();

        // Then
        assertThat(recordJson.toJson(serdes.serialize(build))).isEqualTo(recordJson.toJson(build));
    }

    @Test
    void shouldNameTheRecordTypeOfBytes() {
        assertThat(recordJson.recordType(serdes.serialize(aBuild().build()))).isEqualTo("BuildEvent");
        assertThat(recordJson.recordType(serdes.serialize(aRebuildVerdict().build()))).isEqualTo("RebuildVerdict");
    }

    @Test
    void shouldRejectBytesThatAreNoKnownRecord() {
        // Given
        byte[] json = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

        // Then
        assertThatThrownBy(() -> recordJson.recordType(json))
                .isInstanceOf(RecordDecodingException.class)
                .hasMessageStartingWith("not Avro single-object encoding: first bytes 7b 22");
        assertThatThrownBy(() -> recordJson.toJson(json))
                .isInstanceOf(RecordDecodingException.class);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
