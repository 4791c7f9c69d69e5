package dev.repro.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import dev.repro.streams.BoundedRocksDbMemory;

/**
 * Times a Kafka Streams app catching up on input that is already on its topics, with the
 * settings repro's apps use (exactly_once_v2): from the app reaching RUNNING to every input
 * record committed, and where its stream threads spent that time ({@link StreamThreadTime}).
 * Run over a pass-through topology it gives the framework's own ceiling.
 */
final class StreamsCatchUp {

    private final Map<String, Object> streamsSettings;
    private final Admin admin;
    private final Path stateDir;
    private final Duration timeout;

    private long peakRocksDbBytes;

    StreamsCatchUp(Map<String, Object> streamsSettings, Admin admin, Path stateDir, Duration timeout) {
        this.streamsSettings = streamsSettings;
        this.admin = admin;
        this.stateDir = stateDir;
        this.timeout = timeout;
    }

    /** Copies {@code input} to {@code output} unchanged: the ceiling any exactly-once stage is compared with. */
    static Topology passThrough(String input, String output) {
        return passThrough(List.of(input), output);
    }

    /** Copies every record of {@code inputs} to {@code output} unchanged: the ceiling of a stage reading those topics. */
    static Topology passThrough(List<String> inputs, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputs, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through-source"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through-sink"));
        return builder.build();
    }

    /** The most the shared RocksDB cache (blocks and memtables) held while the last {@link #measure} ran. */
    long peakRocksDbBytes() {
        return peakRocksDbBytes;
    }

    /**
     * Runs {@code topology} as {@code applicationId} until it has committed every record now on
     * {@code inputs}; {@code records} and {@code bytes} are what those inputs hold, for the rate.
     */
    Trial measure(String applicationId, Topology topology, List<String> inputs, long records, long bytes)
            throws InterruptedException {
        GroupProgress progress = new GroupProgress(admin);
        Map<TopicPartition, Long> end = progress.endOffsets(inputs);
        Properties props = new Properties();
        props.putAll(streamsSettings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(applicationId + " did not reach RUNNING within " + timeout);
            }
            StreamThreadTime.Totals start = StreamThreadTime.Totals.of(applicationId, streams);
            progress.awaitCommitted(applicationId, end, timeout,
                    () -> peakRocksDbBytes = Math.max(peakRocksDbBytes, BoundedRocksDbMemory.usage()));
            StreamThreadTime.Totals finish = StreamThreadTime.Totals.of(applicationId, streams);
            return new Trial(records, bytes, finish.nanos() - start.nanos(), finish.since(start));
        }
    }
}
