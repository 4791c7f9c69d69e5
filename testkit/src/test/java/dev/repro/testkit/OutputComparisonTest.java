package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What counts as the same output of two runs: plain records, no broker. */
class OutputComparisonTest {

    private static final TopicPartition OUT = new TopicPartition("repro.alerts", 0);

    @Test
    void shouldAcceptTheSameRecordsInTheSameOrder() {
        TopicSnapshot expected = snapshot(aRecord("a", 1, "x"), aRecord("b", 2, "y"));

        assertThatCode(() -> OutputComparison.assertSameRecords("run", expected, snapshot(aRecord("a", 1, "x"), aRecord("b", 2, "y"))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldFailOnADifferentValueByteWithTheSameKeyAndTimestamp() {
        TopicSnapshot expected = snapshot(aRecord("a", 1, "x"), aRecord("b", 2, "y"));

        assertThatThrownBy(() -> OutputComparison.assertSameRecords("run", expected,
                snapshot(aRecord("a", 1, "x"), aRecord("b", 2, "z")), r -> r.key() + " " + r.timestamp()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("record 1 value of b");
    }

    @Test
    void shouldFailOnTheSameRecordsInAnotherOrder() {
        TopicSnapshot expected = snapshot(aRecord("a", 1, "x"), aRecord("b", 2, "y"));

        assertThatThrownBy(() -> OutputComparison.assertSameRecords("run", expected, snapshot(aRecord("b", 2, "y"), aRecord("a", 1, "x"))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("repro.alerts-0");
    }

    @Test
    void shouldKeepOnlyTheRecordsASecondRunAppended() {
        TopicSnapshot first = snapshot(aRecord("a", 1, "x"));
        TopicSnapshot both = snapshot(aRecord("a", 1, "x"), aRecord("a", 1, "x"));

        assertThatCode(() -> OutputComparison.assertSameRecords("second run", first, both.after(first))).doesNotThrowAnyException();
    }

    @SafeVarargs
    private static TopicSnapshot snapshot(ConsumerRecord<String, byte[]>... records) {
        List<ConsumerRecord<String, byte[]>> partition = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            partition.add(r);
        }
        return TopicSnapshot.of(Map.of(OUT, partition));
    }

    private static ConsumerRecord<String, byte[]> aRecord(String key, long timestamp, String value) {
        return new ConsumerRecord<>(OUT.topic(), OUT.partition(), 0, timestamp, TimestampType.CREATE_TIME, 0, 0, key,
                value.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty());
    }
}
