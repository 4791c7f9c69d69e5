package dev.repro.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Asserts that two runs of a stream app wrote the same output, record for record: the same
 * partitions, and in each the same records in the same order, each with the same key, the same value
 * bytes and the same timestamp. A failure first shows the partition's records side by side as the
 * test describes them (e.g. key, timestamp and decoded status), then names the first differing record.
 */
public final class OutputComparison {

    private OutputComparison() {
    }

    /** {@link #assertSameRecords(String, TopicSnapshot, TopicSnapshot, Function)} describing a record by key, timestamp and value bytes. */
    public static void assertSameRecords(String what, TopicSnapshot expected, TopicSnapshot actual) {
        assertSameRecords(what, expected, actual, r -> r.key() + " @" + r.timestamp() + " "
                + (r.value() == null ? "null" : HexFormat.of().formatHex(r.value())));
    }

    /**
     * Fails unless {@code actual} holds exactly the records of {@code expected}, partition by partition,
     * in order, with equal keys, value bytes and timestamps. {@code what} names the run under test in the
     * failure message; {@code describe} makes a record readable there.
     */
    public static void assertSameRecords(String what, TopicSnapshot expected, TopicSnapshot actual,
            Function<ConsumerRecord<String, byte[]>, String> describe) {
        assertThat(actual.partitions()).as(what + ": the output partitions").containsExactlyElementsOf(expected.partitions());
        for (TopicPartition partition : expected.partitions()) {
            List<ConsumerRecord<String, byte[]>> want = expected.records(partition);
            List<ConsumerRecord<String, byte[]>> got = actual.records(partition);
            assertThat(got.stream().map(describe).toList()).as(what + ": " + partition)
                    .containsExactlyElementsOf(want.stream().map(describe).toList());
            for (int i = 0; i < want.size(); i++) {
                ConsumerRecord<String, byte[]> a = want.get(i);
                ConsumerRecord<String, byte[]> b = got.get(i);
                assertThat(b.key()).as(what + ": " + partition + " record " + i + " key").isEqualTo(a.key());
                assertThat(b.value()).as(what + ": " + partition + " record " + i + " value of " + a.key()).isEqualTo(a.value());
                assertThat(b.timestamp()).as(what + ": " + partition + " record " + i + " timestamp of " + a.key())
                        .isEqualTo(a.timestamp());
            }
        }
    }
}
