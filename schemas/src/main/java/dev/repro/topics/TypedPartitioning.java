package dev.repro.topics;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which partition a typed event record goes to: builds by artifact name
 * ({@link ArtifactPartitioner}), deployments and desired states by {@code service/environment}
 * ({@link EnvironmentPartitioner}), every other topic by its whole key, as Kafka's default
 * partitioner does (murmur2 of the key's UTF-8 bytes).
 *
 * <p>Ingest puts each archived event in the archive partition its typed record will have, so
 * that every partition of a typed topic is derived from one archive partition, in archive order:
 * re-deriving the typed topics from the archive then gives the same logs, and the stream apps,
 * whose output is a function of their input logs, give the same results. This holds while the
 * archive and the typed topics have the same number of partitions, as the catalog creates them.
 */
public final class TypedPartitioning {

    private TypedPartitioning() {
    }

    /** The partition of a record of {@code topic} with {@code key}, among {@code partitions}. */
    public static int partition(TopicId topic, String key, int partitions) {
        return switch (topic) {
            case BUILDS -> ArtifactPartitioner.partition(key, partitions);
            case DEPLOYMENTS, DESIRED -> EnvironmentPartitioner.partition(key, partitions);
            default -> Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
        };
    }

    /** {@link #partition} as a Kafka Streams sink partitioner for {@code topic}. */
    public static <V> StreamPartitioner<String, V> of(TopicId topic) {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String name, String key, V value, int partitions) {
                return Optional.of(Set.of(partition(topic, key, partitions)));
            }
        };
    }
}
