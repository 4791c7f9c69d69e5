package dev.repro.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.repro.serde.AvroSerdes;
import dev.repro.topics.ArtifactPartitioner;
import dev.repro.topics.EnvironmentPartitioner;
import dev.repro.topics.TopicId;
import dev.repro.topics.TypedPartitioning;

/**
 * What one stage reads: the first {@code count} records of the load generator's stream that go to
 * the stage's input topics, serialized, each with the partition its writer would give it (ingest
 * for events, the verifier and the drift detector for their verdicts). Made once and held, so that
 * writing it is timed without the generating.
 *
 * @param topics  the stage's input topics, in the catalog's order
 * @param records the records, in stream order
 * @param bytes   keys and values, in total
 */
record StageInput(List<TopicId> topics, List<InputRecord> records, long bytes) {

    /** One record of the input: where it goes and its bytes. */
    record InputRecord(TopicId topic, int partition, byte[] key, byte[] value) {
    }

    StageInput {
        topics = List.copyOf(topics);
        records = List.copyOf(records);
    }

    /**
     * The first {@code count} records of {@code profile}'s stream on {@code topics}.
     *
     * @throws IllegalArgumentException when the mix gives these topics no records at all
     */
    static StageInput generate(LoadProfile profile, List<TopicId> topics, int count, int partitions, AvroSerdes serdes) {
        if (!feeds(profile.mix(), topics)) {
            throw new IllegalArgumentException("--mix gives no events to a stage reading " + describe(topics));
        }
        Set<TopicId> wanted = Set.copyOf(topics);
        LoadGenerator generator = new LoadGenerator(profile);
        List<InputRecord> records = new ArrayList<>(count);
        long bytes = 0;
        while (records.size() < count) {
            LoadGenerator.Generated next = generator.next();
            if (wanted.contains(next.topic())) {
                byte[] key = next.key().getBytes(StandardCharsets.UTF_8);
                byte[] value = serdes.serialize(next.value());
                records.add(new InputRecord(next.topic(), partition(next.topic(), next.key(), partitions), key, value));
                bytes += key.length + value.length;
            }
        }
        return new StageInput(topics, records, bytes);
    }

    /** Whether the events of {@code mix} reach any of {@code topics} (verdict topics through the events they follow). */
    static boolean feeds(EventMix mix, List<TopicId> topics) {
        return topics.stream().anyMatch(topic -> switch (topic) {
            case BUILDS, REBUILD_VERDICTS -> mix.share(EventMix.EventKind.BUILDS) > 0;
            case RUNS, REPLAY_VERDICTS -> mix.share(EventMix.EventKind.RUNS) > 0;
            case TESTS -> mix.share(EventMix.EventKind.TESTS) > 0;
            case DEPLOYMENTS, DRIFT -> mix.share(EventMix.EventKind.DEPLOYMENTS) > 0;
            case DESIRED -> mix.share(EventMix.EventKind.DESIRED) > 0;
            default -> false;
        });
    }

    /**
     * The partition of a record of {@code topic} with {@code key}: events as ingest partitions them
     * ({@link TypedPartitioning}), rebuild verdicts by artifact name and drift statuses by
     * environment as the verifier and the drift detector write them, the rest by the whole key.
     */
    static int partition(TopicId topic, String key, int partitions) {
        return switch (topic) {
            case REBUILD_VERDICTS -> ArtifactPartitioner.partition(key, partitions);
            case DRIFT -> EnvironmentPartitioner.partition(key, partitions);
            default -> TypedPartitioning.partition(topic, key, partitions);
        };
    }

    /** The topics as the table names them: {@code builds, runs}. */
    static String describe(List<TopicId> topics) {
        return topics.stream().map(t -> t.suffix().replaceFirst("^events\\.", "")).collect(Collectors.joining(", "));
    }

    String describe() {
        return describe(topics);
    }

    int size() {
        return records.size();
    }

    double averageRecordBytes() {
        return records.isEmpty() ? 0 : (double) bytes / records.size();
    }
}
