package dev.repro.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntBiFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.repro.topics.TopicId;

/**
 * The broker's own produce rate for these records, with the settings every repro producer
 * uses (acks=all, idempotent, lz4): the ceiling no stage can beat.
 */
final class ProduceCeiling {

    private final Map<String, Object> producerSettings;
    private final Duration timeout;
    private final boolean openPartitionsFirst;

    /**
     * @param openPartitionsFirst whether to write one record to every partition before the clock
     *                            starts ({@link #openPartitions}); only for topics nothing reads,
     *                            as those records are extra
     */
    ProduceCeiling(Map<String, Object> producerSettings, Duration timeout, boolean openPartitionsFirst) {
        this.producerSettings = producerSettings;
        this.timeout = timeout;
        this.openPartitionsFirst = openPartitionsFirst;
    }

    /**
     * Sends every record to {@code topic}, waits for all acknowledgements, and times it. Fails,
     * rather than hanging, when the acknowledgements do not all arrive within the timeout.
     */
    Trial measure(String topic, List<SampleEvents.Keyed> records) throws InterruptedException {
        return measure(topic, records, null);
    }

    /**
     * The same, each record sent to the partition {@code partitioner} picks for its key (as
     * ingest does for the typed topics), or to the default partitioner's when it is null.
     */
    Trial measure(String topic, List<SampleEvents.Keyed> records, ToIntBiFunction<String, Integer> partitioner)
            throws InterruptedException {
        return measure(topic, records.size(), records::get, partitioner);
    }

    /**
     * The same for {@code count} records made one at a time by {@code record} (so a million of
     * them need not be held in memory at once).
     */
    Trial measure(String topic, int count, IntFunction<SampleEvents.Keyed> record, ToIntBiFunction<String, Integer> partitioner)
            throws InterruptedException {
        return send(List.of(topic), count, i -> {
            SampleEvents.Keyed r = record.apply(i);
            return new ProducerRecord<>(topic, null, r.key(), r.value());
        }, partitioner == null ? null : (r, partitions) -> partitioner.applyAsInt(new String(r.key(), StandardCharsets.UTF_8),
                partitions.get(topic)));
    }

    /** Sends a stage's input, each record to its topic under {@code names} and to its partition. */
    Trial measure(StageInput input, Function<TopicId, String> names) throws InterruptedException {
        List<String> topics = input.topics().stream().map(names).toList();
        return send(topics, input.size(), i -> {
            StageInput.InputRecord r = input.records().get(i);
            return new ProducerRecord<>(names.apply(r.topic()), r.partition(), r.key(), r.value());
        }, null);
    }

    /**
     * Sends {@code count} records to {@code topics} (their metadata fetched before the clock
     * starts), {@code partition} choosing each one's partition from the partition counts when it is
     * given, waits for every acknowledgement and times it.
     */
    private Trial send(List<String> topics, int count, IntFunction<ProducerRecord<byte[], byte[]>> record,
                       ToIntBiFunction<ProducerRecord<byte[], byte[]>, Map<String, Integer>> partition)
            throws InterruptedException {
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        CountDownLatch acknowledged = new CountDownLatch(count);
        long bytes = 0;
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            Map<String, Integer> partitions = new HashMap<>();
            for (String topic : topics) {
                partitions.put(topic, producer.partitionsFor(topic).size());
            }
            if (openPartitionsFirst) {
                openPartitions(producer, partitions, record.apply(0));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ProducerRecord<byte[], byte[]> r = record.apply(i);
                bytes += r.key().length + r.value().length;
                if (partition != null) {
                    r = new ProducerRecord<>(r.topic(), partition.applyAsInt(r, partitions), r.key(), r.value());
                }
                producer.send(r, (metadata, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                    acknowledged.countDown();
                });
            }
            if (!acknowledged.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(acknowledged.getCount() + " of " + count + " records to " + String.join(", ", topics)
                        + " still unacknowledged after " + timeout.toSeconds() + " s (see the benchmark broker's log)");
            }
            long nanos = System.nanoTime() - t0;
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " sends failed, first: " + firstFailure.get().getMessage(),
                        firstFailure.get());
            }
            return new Trial(count, bytes, nanos);
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /**
     * Writes one record to every partition, one at a time, before the clock starts. A partition
     * created just before can refuse a first request (the broker has not opened it yet) while a
     * later request of the same producer is appended; the first one is then retried as out of
     * order until it expires (KAFKA-15591, fixed in the broker after Kafka 4.3): seen in one
     * benchmark run in three on this machine. Those records are not counted. (A producer with one
     * request in flight, as the one writing a stage's input, cannot be caught so.)
     */
    private void openPartitions(KafkaProducer<byte[], byte[]> producer, Map<String, Integer> partitions,
                                ProducerRecord<byte[], byte[]> sample) throws InterruptedException {
        for (Map.Entry<String, Integer> topic : partitions.entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                try {
                    producer.send(new ProducerRecord<>(topic.getKey(), p, sample.key(), sample.value()))
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("cannot write to " + topic.getKey() + "-" + p + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
