package dev.repro.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
 * settings repro's apps use (exactly_once_v2), and where its stream threads spent the timed
 * stretch ({@link StreamThreadTime}). The rate is the sustained one: from the first look (every 20 ms)
 * that finds part of the input committed to the look that finds all of it committed, over the
 * records committed in between. The start before that (threads and tasks created, stores opened
 * and their changelogs looked at, the first fetch and transaction) is a fixed cost, reported on
 * its own ({@link Trial.Startup}); a stateful app processes before it reaches RUNNING, so neither
 * RUNNING nor {@code start()} is where its work begins. An input committed whole at the first
 * look is timed from {@code start()}. Run over a pass-through topology it gives the framework's
 * own ceiling.
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
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            StreamThreadTime.Totals atStart = StreamThreadTime.Totals.of(applicationId, streams);
            streams.start();
            FirstCommit first = new FirstCommit();
            progress.awaitCommitted(applicationId, end, timeout, committed -> {
                if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.PENDING_ERROR) {
                    throw new IllegalStateException(applicationId + " failed after committing " + committed
                            + " offsets of " + inputs + " (its log says why)");
                }
                peakRocksDbBytes = Math.max(peakRocksDbBytes, BoundedRocksDbMemory.usage());
                if (first.committed == 0 && committed > 0) {
                    first.totals = StreamThreadTime.Totals.of(applicationId, streams);
                    first.committed = committed;
                }
            });
            StreamThreadTime.Totals finish = StreamThreadTime.Totals.of(applicationId, streams);
            long target = GroupProgress.total(end);
            if (first.committed == 0 || target == 0) {
                return new Trial(records, bytes, finish.nanos() - atStart.nanos(), finish.since(atStart),
                        new Trial.Startup(0, 0));
            }
            // offsets of input written without transactions count records one for one; scaled in case they do not
            long committedRecords = Math.round((double) records * first.committed / target);
            return new Trial(records, bytes, finish.nanos() - first.totals.nanos(), finish.since(first.totals),
                    new Trial.Startup(first.totals.nanos() - atStart.nanos(), committedRecords));
        }
    }

    /** The first look that found part of the input committed: the threads' totals then, and how much (0 before it). */
    private static final class FirstCommit {
        StreamThreadTime.Totals totals;
        long committed;
    }
}
