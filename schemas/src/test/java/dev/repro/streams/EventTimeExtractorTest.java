package dev.repro.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.repro.schema.DesiredState;
import dev.repro.serde.AvroSerdes;
import dev.repro.serde.Encoded;

class EventTimeExtractorTest {

    private static ConsumerRecord<Object, Object> record(Object value, long timestamp) {
        return new ConsumerRecord<>("t", 0, 0L, timestamp, TimestampType.CREATE_TIME, 0, 0, "k", value,
                new RecordHeaders(), Optional.empty());
    }

    @Test
    void shouldTakeTheEventsOwnTimeNotTheRecordTimestamp() {
        DesiredState desired = DesiredState.newBuilder().setId("d").setSource("s").setTime(Instant.ofEpochMilli(1234))
                .setService("svc").setEnvironment("prod").setArtifactDigest("sha256:" + "a".repeat(64))
                .setGitCommit("c".repeat(40)).build();

        assertThat(new EventTimeExtractor().extract(record(desired, 999_999L), 5L)).isEqualTo(1234L);
    }

    @Test
    void shouldTakeTheTimeOfARecordReadWithItsBytes() {
        DesiredState desired = DesiredState.newBuilder().setId("d").setSource("s").setTime(Instant.ofEpochMilli(4321))
                .setService("svc").setEnvironment("prod").setArtifactDigest("sha256:" + "a".repeat(64))
                .setGitCommit("c".repeat(40)).build();
        Encoded<DesiredState> read = new Encoded<>(desired, AvroSerdes.create().serialize(desired));

        assertThat(new EventTimeExtractor().extract(record(read, 999_999L), 5L)).isEqualTo(4321L);
    }

    @Test
    void shouldFallBackToTheRecordTimestampThenStreamTimeForAValueWithoutTime() {
        assertThat(new EventTimeExtractor().extract(record(null, 777L), 5L)).isEqualTo(777L);
        assertThat(new EventTimeExtractor().extract(record(null, -1L), 5L)).isEqualTo(5L);
    }
}
