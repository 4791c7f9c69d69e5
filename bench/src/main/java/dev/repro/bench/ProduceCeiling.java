package dev.repro.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ToIntBiFunction;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker's own produce rate for these records, with the settings every repro producer
 * uses (acks=all, idempotent, lz4): the ceiling no stage can beat.
 */
final class ProduceCeiling {

    private final Map<String, Object> producerSettings;
    private final Duration timeout;

    ProduceCeiling(Map<String, Object> producerSettings, Duration timeout) {
        this.producerSettings = producerSettings;
        this.timeout = timeout;
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
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        CountDownLatch acknowledged = new CountDownLatch(count);
        long bytes = 0;
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            int partitions = producer.partitionsFor(topic).size(); // metadata fetched before the clock starts
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                SampleEvents.Keyed r = record.apply(i);
                bytes += r.key().length + r.value().length;
                Integer partition = partitioner == null ? null
                        : partitioner.applyAsInt(new String(r.key(), StandardCharsets.UTF_8), partitions);
                producer.send(new ProducerRecord<>(topic, partition, r.key(), r.value()), (metadata, e) -> {
                    if (e != null) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                    acknowledged.countDown();
                });
            }
            if (!acknowledged.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(acknowledged.getCount() + " of " + count + " records to " + topic
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
}
