package dev.repro.testkit;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer interceptor that pauses a few milliseconds per input record polled (records of Kafka
 * Streams' repartition topics do not count), so that a stream app processes a few thousand records
 * over seconds rather than in one: a test can then stop one of its instances while the input is
 * still being processed, whatever the speed of the machine. It only delays {@code poll}; records,
 * offsets and their order are untouched. Give a Kafka Streams app {@link #settings(int)}, which put
 * it on the main consumer only (not the restore consumer).
 */
public final class SlowConsumption<K, V> implements ConsumerInterceptor<K, V> {

    /** Consumer setting: milliseconds to pause per input record polled. */
    public static final String PAUSE_MS_PER_RECORD = "repro.test.pause.ms.per.record";

    /** Kafka Streams' repartition topics: their records are the app's own, already paced by its input. */
    private static final String REPARTITION_SUFFIX = "-repartition";

    private long pauseMsPerRecord = 2;

    /**
     * Repro settings ({@code KAFKA_*}, mapped onto Kafka Streams' {@code main.consumer.} settings)
     * pausing {@code pauseMsPerRecord} ms per record, in polls of at most 25 records (so a pause never
     * holds up a rebalance or a commit for long).
     */
    public static Map<String, String> settings(int pauseMsPerRecord) {
        return Map.of("KAFKA_MAIN_CONSUMER_INTERCEPTOR_CLASSES", SlowConsumption.class.getName(),
                "KAFKA_MAIN_CONSUMER_MAX_POLL_RECORDS", "25",
                "KAFKA_MAIN_CONSUMER_" + PAUSE_MS_PER_RECORD.toUpperCase(java.util.Locale.ROOT).replace('.', '_'),
                String.valueOf(pauseMsPerRecord));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object pause = configs.get(PAUSE_MS_PER_RECORD);
        if (pause != null) {
            pauseMsPerRecord = Long.parseLong(pause.toString());
        }
    }

    @Override
    public ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records) {
        long inputs = records.partitions().stream().filter(tp -> !tp.topic().endsWith(REPARTITION_SUFFIX))
                .mapToLong(tp -> records.records(tp).size()).sum();
        if (inputs > 0) {
            try {
                Thread.sleep(inputs * pauseMsPerRecord);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // nothing to slow down
    }

    @Override
    public void close() {
        // nothing held
    }
}
