package dev.repro.drift;

import static dev.repro.drift.Fixtures.DIGEST_A;
import static dev.repro.drift.Fixtures.DIGEST_B;
import static dev.repro.drift.Fixtures.DIGEST_X;
import static dev.repro.drift.Fixtures.aDeployment;
import static dev.repro.drift.Fixtures.aDesiredState;
import static dev.repro.drift.Fixtures.minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import dev.repro.schema.DeploymentEvent;
import dev.repro.schema.DriftState;
import dev.repro.serde.AvroSerdes;

class StateSerdesTest {

    private final Serde<EnvironmentDrift> serde = new StateSerdes(AvroSerdes.create()).environmentDrift();

    @Test
    void shouldRestoreAnEnvironmentThatJudgesLikeTheOriginal() {
        EnvironmentDrift original = EnvironmentDrift.empty("shop", "prod");
        original.declare(null, aDesiredState().withArtifact(DIGEST_A).atMinute(0).build());
        original.declare("us-1", aDesiredState().forCluster("us-1").withArtifact(DIGEST_B).atMinute(0).build());
        original.observe("eu-1", aDeployment().withArtifact(DIGEST_X).atMinute(20).build());
        original.observe("us-1", aDeployment().inCluster("us-1").byTag("latest").atMinute(21).build());
        original.review(minute(32).toEpochMilli(), minute(32).toEpochMilli(), Duration.ofMinutes(10));
        original.fileGraceEnd(minute(42).toEpochMilli());

        byte[] bytes = serde.serializer().serialize("t", original);
        EnvironmentDrift restored = serde.deserializer().deserialize("t", bytes);

        assertThat(serde.serializer().serialize("t", restored)).isEqualTo(bytes);
        assertThat(restored.clusters().get("eu-1").published()).isEqualTo(original.clusters().get("eu-1").published());
        assertThat(restored.clusters().get("us-1").published().getStatus()).isEqualTo(DriftState.UNVERIFIABLE);
        assertThat(restored.perCluster()).isEqualTo(original.perCluster());
        assertThat(restored.lastDigestChange()).isEqualTo(original.lastDigestChange());
        assertThat(restored.filedGraceEnd()).isEqualTo(minute(42).toEpochMilli());
        DeploymentEvent revert = aDeployment().withArtifact(DIGEST_A).atMinute(40).build();
        restored.observe("eu-1", revert);
        original.observe("eu-1", revert);
        long at = minute(40).toEpochMilli();
        assertThat(restored.review(at, at, Duration.ofMinutes(10)))
                .isEqualTo(original.review(at, at, Duration.ofMinutes(10)));
    }

    @Test
    void shouldFailClearlyOnBytesOfAnotherLayout() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 9}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown layout version 9");
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 1, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldReadTheFirstLayoutWhichKeptNoFiledEndOfGrace() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(1);
            for (String s : new String[] {"shop", "prod"}) {
                out.writeInt(s.length());
                out.write(s.getBytes(StandardCharsets.UTF_8));
            }
            out.writeInt(-1); // no desired state for every cluster
            out.writeInt(0); // none per cluster
            out.writeLong(minute(5).toEpochMilli()); // last digest change
            out.writeInt(0); // no cluster
        }

        EnvironmentDrift restored = serde.deserializer().deserialize("t", bytes.toByteArray());

        assertThat(restored.service()).isEqualTo("shop");
        assertThat(restored.lastDigestChange()).isEqualTo(minute(5).toEpochMilli());
        assertThat(restored.filedGraceEnd()).as("unknown: the next review files its end of grace")
                .isEqualTo(EnvironmentDrift.NEVER);
    }
}
